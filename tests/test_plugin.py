"""Plugin parts that need no build: HTML set aside for the indexer, the library cache, released scans."""

from __future__ import annotations

import os

from mkdocs.config import load_config

from conftest import GOOD_BIB, make_site
from folio.plugin import put_back, set_aside
from folio.scan import Source

PAGE = (
    '<h2 id="a">Method</h2><p>Prose with <span class="folio-math"><math><mi>n</mi></math></span>.</p>'
    '<div class="language-python highlight"><table class="highlighttable"><tr><td class="linenos">'
    '<div class="linenodiv"><pre>1</pre></div></td><td><pre><code>x = 1</code></pre></td></tr></table></div>'
    '<div class="folio-math folio-math-display"><math display="block"><mn>2</mn></math></div>'
    '<p>More prose.</p><div class="footnote"><hr><ol><li id="fn:k"><p><cite>Ref</cite></p>'
    '<div class="admonition"><p>nested</p></div></li></ol></div>'
)


def test_set_aside_hides_code_math_and_references_and_put_back_restores_every_byte():
    indexed, kept = set_aside(PAGE)
    assert "Prose with" in indexed and "More prose." in indexed and '<h2 id="a">' in indexed
    assert "<math" not in indexed and "x = 1" not in indexed and "<cite>" not in indexed
    assert put_back(f"<html><body>{indexed}</body></html>", kept) == f"<html><body>{PAGE}</body></html>"


def test_a_page_without_code_math_or_references_is_left_alone():
    page = '<p>Only prose, with a <span class="other">span</span> and <div class="note">div</div>.</p>'
    assert set_aside(page) == (page, [])
    assert put_back(page, []) == page


def test_unbalanced_markup_is_left_to_the_indexer_and_nothing_is_lost():
    page = '<p>Prose.</p><div class="footnote"><ol><li>never closed'
    assert set_aside(page) == (page, [])


def test_bibliography_is_parsed_again_only_when_a_bib_file_changes(tmp_path):
    root = make_site(tmp_path, {})
    config = load_config(str(root / "mkdocs.yml"))
    citations = config.plugins["folio-bibtex"]
    citations.on_config(config)
    first = citations.library
    bib = root / "references" / "library.bib"

    os.utime(bib, (1, 1))  # touched, same content: the parsed library is kept
    citations.on_config(config)
    assert citations.library is first

    bib.write_text(GOOD_BIB.replace("Orca: A Distributed", "Orca, Revised: A Distributed"))
    citations.on_config(config)
    assert citations.library is not first
    assert "Orca, Revised" in str(citations.library.entries["yu2022orca"].entry.fields["title"])


def test_released_source_keeps_its_word_count_and_recomputes_the_rest():
    source = Source("## Method\n\nBatching waits [@yu2022orca].\n\n```python\nx = 1\n```\n")
    words, citations, headings = source.word_count, source.citations, source.headings
    source.release()
    assert set(vars(source)) == {"text", "first_line", "word_count"}
    assert source.word_count == words and source.citations == citations and source.headings == headings
