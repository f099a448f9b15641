"""Plugin parts that need no build: HTML set aside for the indexer, the library cache, released scans."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any, cast

import pybtex
from mkdocs.config import load_config

from conftest import GOOD_BIB, ROOT, make_site
from folio import bib as biblib
from folio.mdx import math
from folio.plugin import FolioPlugin, put_back, set_aside
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


def test_the_library_cache_is_read_when_nothing_changed_and_refreshed_when_a_file_does(tmp_path, monkeypatch):
    root = make_site(tmp_path, {})
    first = biblib.load_cached(root)
    assert (root / biblib.CACHE_FILE).is_file()

    def no_parse(text: str) -> None:
        raise AssertionError("parsed although the cache was current")

    with monkeypatch.context() as patch:
        patch.setattr(biblib, "_parse", no_parse)
        cached = biblib.load_cached(root)
    assert list(cached.entries) == list(first.entries) and cached.digest == first.digest
    assert str(cached.entries["yu2022orca"].entry.fields["title"]) == str(first.entries["yu2022orca"].entry.fields["title"])

    (root / "references" / "library.bib").write_text(GOOD_BIB.replace("Orca: A Distributed", "Orca, Revised: A Distributed"))
    assert "Orca, Revised" in str(biblib.load_cached(root).entries["yu2022orca"].entry.fields["title"])


def test_the_library_cache_key_follows_pybtex_and_the_files(tmp_path, monkeypatch):
    root = make_site(tmp_path, {})
    sources = biblib.read_sources(root)
    key = biblib.cache_key(sources)
    assert biblib.cache_key({path: data + b"\n" for path, data in sources.items()}) != key
    monkeypatch.setattr(pybtex, "__version__", "0.0.0")
    assert biblib.cache_key(sources) != key


def test_an_unreadable_or_unwritable_library_cache_only_costs_a_parse(tmp_path):
    root = make_site(tmp_path, {})
    cache = root / biblib.CACHE_FILE
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a pickle")
    assert "yu2022orca" in biblib.load_cached(root).entries
    assert pickle.loads(cache.read_bytes()) == biblib.cache_key(biblib.read_sources(root))  # rewritten whole

    cache.unlink()
    cache.parent.rmdir()
    cache.parent.write_text("a file where the cache's folder should be")
    assert "yu2022orca" in biblib.load_cached(root).entries
    assert not list(cache.parent.parent.glob("*.pickle*"))


def _markdown_of(plugin: FolioPlugin, markdown: str) -> str:
    page = SimpleNamespace(file=SimpleNamespace(src_uri="explainers/x.md"))
    return plugin.on_page_markdown(markdown, page, cast(Any, None), cast(Any, None))  # type: ignore[arg-type]


def test_a_page_never_waits_for_formulas_the_painter_has_not_converted():
    plugin = FolioPlugin()
    plugin.ctx = cast(Any, object())  # no document of that path: only the formulas are handled
    pending: Future[dict[tuple[str, bool], str]] = Future()
    plugin.math_ahead = {"explainers/x.md": pending}
    done = threading.Event()
    worker = threading.Thread(target=lambda: (_markdown_of(plugin, "Text with $n$."), done.set()), daemon=True)
    worker.start()
    assert done.wait(10), "the page waited for the painter"
    assert pending.cancelled() and not plugin.math_ahead

    ready: Future[dict[tuple[str, bool], str]] = Future()
    ready.set_result({("folio-test-formula", False): "<math>converted ahead</math>"})
    plugin.math_ahead = {"explainers/x.md": ready}
    _markdown_of(plugin, "Text.")
    assert math.to_mathml("folio-test-formula", False) == "<math>converted ahead</math>"


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.strip()


def test_the_build_process_leaves_pillow_to_the_painter():
    assert run_python("import sys, folio.plugin, folio.citations; print('PIL' in sys.modules)") == "False"


EXIT_PROBE = """
import atexit, gc
atexit.register(lambda: print(gc.get_freeze_count() > 0))  # last registered runs first: this runs last
from folio.plugin import FolioPlugin
from mkdocs.__main__ import cli
{run}
"""


def test_under_mkdocs_command_line_the_exit_skips_collecting_what_the_build_left():
    run = "with cli.make_context('mkdocs', ['build']):\n    FolioPlugin().on_shutdown()\n    FolioPlugin().on_shutdown()"
    assert run_python(EXIT_PROBE.format(run=run)) == "True"


def test_a_program_that_builds_in_process_keeps_its_ordinary_exit():
    assert run_python(EXIT_PROBE.format(run="FolioPlugin().on_shutdown()")) == "False"
