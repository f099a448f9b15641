"""Reading typography in a real browser: the self-hosted faces are used (from a reader's second
page on), prose lines hold 60-75 characters at desktop widths, and math is set in the math face."""

from __future__ import annotations

import pytest

from conftest import visit
from folio.pdf import FACES_FETCHED

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
    """On a reader's first page (a system serif scaled to the text face's metrics) and on the next
    (STIX Two Text from the cache)."""
    context = browser.new_context(viewport={"width": DESKTOP_WIDTHS[0], "height": 900})
    page = context.new_page()
    wrong = {}
    for reader in ("first visit", "returning"):
        visit(page, base_url + path)
        page.evaluate("document.fonts.ready.then(() => true)")
        for width in DESKTOP_WIDTHS:  # one load, the window resized: the layout follows the width
            page.set_viewport_size({"width": width, "height": 900})
            characters = page.evaluate(MEASURE)
            if not 60 <= characters <= 75:
                wrong[reader, width] = round(characters, 1)
        page.wait_for_function(FACES_FETCHED)  # the faces are in the cache
        page.set_viewport_size({"width": DESKTOP_WIDTHS[0], "height": 900})
    context.close()
    assert not wrong, f"{path}: characters per line outside 60-75 (reader, width in px): {wrong}"


FACE_REQUESTS = """() => {
  const paint = performance.getEntriesByType('paint')[0].startTime;
  return performance.getEntriesByType('resource').filter(entry => entry.name.endsWith('.woff2'))
    .map(entry => [entry.name.split('/').pop(), Math.round(entry.startTime - paint)]);
}"""


def used_fonts(page, selector: str) -> list[str]:
    """The fonts the browser drew the element's text with (DevTools' 'Rendered fonts')."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    node = cdp.send("DOM.querySelector", {"nodeId": cdp.send("DOM.getDocument")["root"]["nodeId"], "selector": selector})["nodeId"]
    fonts = [font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    cdp.detach()
    return fonts


def test_a_first_visit_paints_in_the_fallback_serif_and_the_next_page_in_the_text_face(browser, base_url):
    """A first visit requests no text face before its first paint (Lighthouse counts every
    request made before the paint as needed for it) and sets its prose in a system serif scaled
    to STIX Two Text's metrics (fallback-faces.css; DejaVu Serif on a Debian machine); it
    fetches the faces after the paint without applying them (the text would move and be laid
    out again), and the next page uses STIX Two Text from its first paint. Math uses the math
    face; every font comes from the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fonts: list[str] = []
    page.on("response", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    visit(page, base_url + "articles/batching/")
    page.wait_for_function(FACES_FETCHED)  # all four faces fetched
    requests = page.evaluate(FACE_REQUESTS)
    text_faces = [(name, after) for name, after in requests if name.startswith("stix-two-text")]
    assert len(text_faces) == 4 and all(after > 0 for _, after in text_faces), f"text faces (ms after the first paint): {text_faces}"
    first = used_fonts(page, "article.md-content__inner > p")
    assert "STIX Two Text" not in first and first, first
    scaled = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded' && f.family.includes('STIX Two Text Fallback')).length")
    assert scaled > 0, f"{first} drawn without the fallback face that scales it to STIX Two Text's metrics"
    visit(page, base_url + "explainers/iteration-batching/")
    page.wait_for_function("document.documentElement.hasAttribute('data-folio-math-face')")  # folio.js, once the face is in
    page.evaluate("document.fonts.ready.then(() => true)")
    assert used_fonts(page, "article.md-content__inner > p") == ["STIX Two Text"]
    assert "STIX Two Math" in used_fonts(page, "article math mi")
    context.close()
    assert fonts and all(url.startswith(base_url) for url in fonts), fonts


def test_without_javascript_prose_is_in_the_text_face_from_the_start(browser, base_url):
    """No script can fetch the faces for the next page, so the page asks for them itself."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "articles/batching/", wait_until="load")  # the load event waits for the faces the first layout asked for
    fonts = used_fonts(page, "article.md-content__inner > p")
    context.close()
    assert fonts == ["STIX Two Text"], fonts


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


def test_identifiers_in_code_keep_the_name_colour(browser, base_url):
    """Name tokens lost their spans (folio/code_tokens.py): the code's own colour is the name colour."""
    page = browser.new_page()
    visit(page, base_url + "series/lora-and-qlora/")
    colours = page.evaluate("""() => {
      const code = document.querySelector('.language-python.highlight pre > code');
      const probe = code.appendChild(Object.assign(document.createElement('span'), { style: 'color: var(--md-code-hl-name-color)' }));
      const colours = [getComputedStyle(code).color, getComputedStyle(probe).color, code.querySelectorAll('span.n').length];
      probe.remove();
      return colours;
    }""")
    page.close()
    code, name, spans = colours
    assert code == name and spans == 0, colours
