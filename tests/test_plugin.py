"""Plugin parts that need no build: HTML set aside for the indexer, the library read once, released scans, formulas never waited for, the exit."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import threading
from concurrent.futures import Future
from types import ModuleType, SimpleNamespace
from typing import Any, cast

import click
import pytest
from mkdocs.config import load_config

from conftest import GOOD_BIB, ROOT, make_site
from folio.mdx import math as mdx_math
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
    try:
        assert mdx_math.to_mathml("folio-test-formula", False) == "<math>converted ahead</math>"
    finally:  # leave the process's formula caches as they were
        mdx_math._converted_ahead.pop(("folio-test-formula", False), None)
        mdx_math.to_mathml.cache_clear()


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return done.stdout.strip()


EXIT_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print(gc.get_freeze_count() > 0))  # last registered runs first: this runs last
from mkdocs.__main__ import cli  # as the mkdocs script's main module holds it
import folio.citations
from folio.plugin import FolioPlugin
print('PIL' in sys.modules)
with cli.make_context("mkdocs", ["build"]):
    FolioPlugin().on_shutdown()
    FolioPlugin().on_shutdown()
"""


def test_under_mkdocs_command_line_the_exit_skips_collecting_and_pillow_stays_in_the_painter():
    assert run_python(EXIT_PROBE).split() == ["False", "True"]  # Pillow not imported; frozen at exit


@pytest.mark.parametrize("entry", ["the mkdocs script", "python -m mkdocs", "another program"])
def test_mkdocs_command_line_is_told_by_its_entry_point_and_a_running_command(entry, monkeypatch):
    from mkdocs import __main__ as mkdocs_main

    from folio.plugin import run_by_mkdocs_command_line

    main = ModuleType("__main__")
    if entry == "the mkdocs script":
        main.cli = mkdocs_main.cli  # type: ignore[attr-defined]
    elif entry == "python -m mkdocs":
        main.__spec__ = importlib.util.find_spec("mkdocs.__main__")
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert not run_by_mkdocs_command_line()  # no command running
    with click.Context(mkdocs_main.cli, info_name="mkdocs"):  # a CliRunner in another program runs one too
        assert run_by_mkdocs_command_line() == (entry != "another program")


def test_only_mkdocs_command_line_has_its_exit_skip_collecting(monkeypatch):
    import folio.plugin

    registered = []
    monkeypatch.setattr(folio.plugin, "freeze_at_exit", lambda: registered.append(True))
    FolioPlugin().on_shutdown()
    assert registered == []
    monkeypatch.setattr(folio.plugin, "run_by_mkdocs_command_line", lambda: True)
    FolioPlugin().on_shutdown()
    assert registered == [True]
