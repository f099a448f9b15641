"""Reading typography in a real browser: the self-hosted faces are used, prose lines hold
60-75 characters at desktop widths, and math is set in the math face."""

from __future__ import annotations

import pytest

from conftest import visit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-pages")]

MEASURE = """() => {
  const counts = [];
  for (const p of document.querySelectorAll('article.md-content__inner > p')) {
    const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
    if (lines >= 3) counts.push(p.innerText.length / lines);  // full paragraphs: the last line is short
  }
  return counts.reduce((a, b) => a + b, 0) / counts.length;
}"""


DESKTOP_WIDTHS = (1280, 1920)


@pytest.mark.parametrize("path", ["articles/batching/", "explainers/iteration-batching/", "series/lora-and-qlora/"])
def test_prose_measure_is_60_to_75_characters(browser, base_url, path):
    context = browser.new_context(viewport={"width": DESKTOP_WIDTHS[0], "height": 900})
    page = context.new_page()
    visit(page, base_url + path)
    page.evaluate("document.fonts.ready.then(() => true)")
    measured = {}
    for width in DESKTOP_WIDTHS:  # one load, the window resized: the layout follows the width
        page.set_viewport_size({"width": width, "height": 900})
        measured[width] = page.evaluate(MEASURE)
    context.close()
    wrong = {width: round(characters, 1) for width, characters in measured.items() if not 60 <= characters <= 75}
    assert not wrong, f"{path}: characters per line outside 60-75 at these widths (px): {wrong}"


def test_text_and_math_use_the_self_hosted_faces(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fonts: list[str] = []
    page.on("response", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    visit(page, base_url + "articles/batching/")
    page.wait_for_function("document.documentElement.hasAttribute('data-folio-math-face')")  # folio.js, once the face is in
    page.evaluate("document.fonts.ready.then(() => true)")
    loaded = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight + ' ' + f.style)")
    context.close()
    assert any("STIX Two Text" in f and "400 normal" in f for f in loaded), loaded
    assert any("STIX Two Math" in f for f in loaded), "the page has math, so the math face is used"
    assert fonts and all(url.startswith(base_url) for url in fonts), fonts


def test_an_88_column_code_line_fits_without_scrolling(browser, base_url):
    """Rule EXE005 keeps every code line within 88 columns; this checks that the stylesheet shows
    88 columns of the widest glyphs without a horizontal scrollbar on desktop screens."""
    context = browser.new_context(viewport={"width": DESKTOP_WIDTHS[0], "height": 900})
    page = context.new_page()
    visit(page, base_url + "series/lora-and-qlora/")
    page.evaluate("""() => { document.querySelector('article pre > code').textContent = 'W'.repeat(88) + '\\n' + '#'.repeat(88); }""")
    overflow = {}
    for width in DESKTOP_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow[width] = page.evaluate("() => { const code = document.querySelector('article pre > code'); return code.scrollWidth - code.clientWidth; }")
    context.close()
    assert all(pixels <= 1 for pixels in overflow.values()), f"an 88-column line scrolls (px by width): {overflow}"
