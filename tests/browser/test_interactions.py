"""What a reader does: search, switch palettes, read a citation, follow a figure reference, copy code, page through the series."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import ROOT, axe_violations, visit
from folio.documents import Site

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-pages")]

SITE = Site.load(ROOT)
PUBLISHED = [d for d in SITE.collection_documents if not d.is_draft]


def url_of(doc) -> str:
    return doc.url_path


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context.new_page()
    context.close()


def distinctive_word(doc) -> str:
    """A long word from the document's prose that no other document uses."""
    # Citation keys ([@vllm2026batchdefaults]) are not text a reader can search for.
    words = lambda d: Counter(w.lower() for w in re.findall(r"[A-Za-z]{10,}", re.sub(r"\[@[^\]]*\]", " ", d.source.prose)))  # noqa: E731
    others = Counter()
    for other in PUBLISHED:
        if other is not doc:
            others.update(words(other).keys())
    return next(w for w, _ in words(doc).most_common() if w not in others)


def test_search_is_shown_only_once_material_has_mounted(page, base_url):
    """Material's bundle runs after the first paint; search, which needs it, appears with it, and
    stays hidden (not broken) if the bundle never arrives."""
    page.route("**/bundle.*.min.js", lambda route: route.abort())
    visit(page, base_url)  # the loader goes on after a script that fails to load
    assert page.evaluate("getComputedStyle(document.querySelector('.md-search')).visibility") == "hidden"
    page.unroute("**/bundle.*.min.js")
    visit(page, base_url)
    assert page.evaluate("getComputedStyle(document.querySelector('.md-search')).visibility") == "visible"


@pytest.mark.parametrize(("system", "scheme"), [("dark", "slate"), ("light", "default")])
def test_a_first_visit_paints_in_the_system_palette_before_the_bundle_runs(browser, base_url, system, scheme):
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    page.route("**/bundle.*.min.js", lambda route: route.abort())  # as if it had not arrived yet
    page.goto(base_url, wait_until="domcontentloaded")
    chosen = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    context.close()
    assert chosen == scheme


def test_a_page_opened_from_a_search_result_highlights_the_terms(page, base_url):
    """Material highlights ?h= terms from the search index, which is otherwise held until the
    reader focuses the search field."""
    visit(page, base_url + "explainers/iteration-batching/?h=batching")
    page.wait_for_function("document.querySelectorAll('article mark').length > 0")


def test_search_finds_an_article_by_a_word_from_its_body(page, base_url):
    article = next(d for d in PUBLISHED if d.doc_type.name == "article")
    word = distinctive_word(article)
    visit(page, base_url)
    page.click("label.md-search__icon, .md-search__input")
    page.fill(".md-search__input", word)
    # The index loads on first use of search and the worker builds it in the browser; on a
    # busy 2-core runner that alone can take several seconds.
    page.wait_for_selector(".md-search-result__item", timeout=45000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any(url_of(article) in link for link in links), (word, links)


SWITCHES = """window.folioSwitches = 0; new MutationObserver(changes => { window.folioSwitches += changes.filter(
  change => change.target.hasAttribute('data-md-color-switching')).length; }).observe(document,
  { attributes: true, subtree: true, attributeFilter: ['data-md-color-switching'] });"""


def test_palette_toggle_switches_and_persists(page, base_url):
    """Loading a page restyles nothing for the palette (Material's own palette component marks
    every element as switching when it mounts: most of a long page's work after load); a click
    switches, with transitions stopped for the switch, and the choice holds on the next page."""
    page.add_init_script(SWITCHES)
    visit(page, base_url)
    assert page.evaluate("window.folioSwitches") == 0
    before = page.get_attribute("body", "data-md-color-scheme")
    colour = page.get_attribute("meta[name=theme-color]", "content")
    page.locator("form[data-folio-palette] label:visible").first.click()
    after = page.get_attribute("body", "data-md-color-scheme")
    assert before != after and page.evaluate("window.folioSwitches") == 1
    assert page.get_attribute("meta[name=theme-color]", "content") not in (colour, None)
    visit(page, base_url + "about/")
    assert page.get_attribute("body", "data-md-color-scheme") == after


def test_palette_toggle_answers_enter_and_keeps_the_canvas_in_step(page, base_url):
    """As Material's toggle: Enter on the focused option switches; the root's color-scheme (the
    scrollbars and canvas) follows the palette from the first paint."""
    root_scheme = "getComputedStyle(document.documentElement).colorScheme"
    visit(page, base_url)
    assert page.evaluate(root_scheme) == "normal"
    page.locator("form[data-folio-palette] input:checked").focus()
    page.keyboard.press("Enter")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert page.evaluate(root_scheme) == "dark"
    visit(page, base_url + "about/")
    assert page.evaluate(root_scheme) == "dark"


def test_a_stored_palette_whose_colours_the_site_changed_is_brought_up_to_date(page, base_url):
    visit(page, base_url)
    page.evaluate("""__md_set('__palette', { index: 1, color: { media: '(prefers-color-scheme: dark)',
        scheme: 'default', primary: 'indigo', accent: 'indigo' } })""")
    visit(page, base_url)
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    assert page.evaluate("__md_get('__palette').color.primary") == "custom"


def test_citation_shows_its_reference_on_hover_and_focus(page, base_url):
    doc = next(d for d in PUBLISHED if d.source.citations)
    visit(page, base_url + url_of(doc))
    ref = page.locator("sup a.footnote-ref").first
    key = ref.get_attribute("href").removeprefix("#fn:")
    from folio.bib import latex_to_text, load

    title = latex_to_text(load(ROOT).entries[key].field("title"))
    ref.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip2:visible").first
    tooltip.wait_for(state="visible", timeout=5000)
    assert title[:30] in tooltip.inner_text()
    page.mouse.move(0, 0)
    page.locator(".folio-header__byline a").first.focus()  # the byline's author link, just before the text
    page.keyboard.press("Tab")
    ref.focus()
    page.locator(".md-tooltip2--active, .md-tooltip2:visible").first.wait_for(state="visible", timeout=5000)


def test_figure_reference_jumps_to_the_figure(page, base_url):
    doc = next(d for d in PUBLISHED if d.source.xrefs)
    visit(page, base_url + url_of(doc))
    link = page.locator("a.folio-xref").first
    target = link.get_attribute("href")
    assert re.fullmatch(r"(Figure|Table) \d+", link.inner_text())
    link.click()
    assert page.url.endswith(target)
    assert page.locator(target).is_visible()
    box = page.locator(target).bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_figure_and_section_references_preview_on_hover_and_focus(page, base_url):
    doc = next(d for d in PUBLISHED if d.source.xrefs)
    visit(page, base_url + url_of(doc))
    preview = page.locator("#folio-preview")
    link = page.locator("a.folio-xref").first
    target = link.get_attribute("href")
    link.hover()
    preview.wait_for(state="visible", timeout=5000)
    caption = page.locator(f"{target} figcaption").first.inner_text()
    assert caption[:40] in preview.inner_text(), "the preview shows the figure or table with its caption"
    assert link.get_attribute("aria-describedby") == "folio-preview"
    assert preview.locator("[id]").count() == 0, "the copy carries no ids that would clash with the page"
    # The open preview and the links it describes (the rest of the page is the accessibility scan's)
    violations = axe_violations(page, {"include": [["#folio-preview"], ["a.folio-xref"]]}, {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    assert not violations, [v["id"] for v in violations]
    page.mouse.move(0, 0)
    preview.wait_for(state="hidden", timeout=5000)
    link.focus()  # keyboard users get the same preview
    preview.wait_for(state="visible", timeout=5000)
    page.keyboard.press("Escape")
    preview.wait_for(state="hidden", timeout=5000)
    # A link to a section of the same page previews the section's title and opening paragraph.
    doc = next(d for d in PUBLISHED if any(link.target.startswith("#") and not link.target.startswith(("#fig-", "#tab-")) for link in d.source.links))
    visit(page, base_url + url_of(doc))
    found = page.evaluate("""() => { for (const a of document.querySelectorAll('article.md-content__inner p a[href^="#"]')) {
        const t = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
        if (t && /^H[2-4]$/.test(t.tagName)) { a.setAttribute('data-test-section', ''); return true; } } return false; }""")
    assert found, f"{url_of(doc)} has no link to one of its own sections; choose a page that has one"
    page.locator("[data-test-section]").first.hover()
    preview.wait_for(state="visible", timeout=5000)
    assert page.locator(".folio-preview__title").count() == 1


def test_code_copy_button_copies(page, base_url):
    doc = next(d for d in PUBLISHED if d.doc_type.series)
    visit(page, base_url + url_of(doc))
    block = page.locator(".highlight pre").first
    block.hover()
    page.locator(".highlight .md-code__button[data-md-type=copy], .highlight .md-clipboard").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    first_line = doc.source.code_blocks[0].code.strip().splitlines()[0]
    assert first_line in copied


def test_series_previous_and_next(page, base_url):
    parts = sorted((d for d in PUBLISHED if d.doc_type.series), key=lambda d: d.meta["part"])
    if len(parts) < 3:
        pytest.skip("the series needs three parts")
    visit(page, base_url + url_of(parts[1]))
    assert f"part {parts[1].meta['part']} of 8" in page.inner_text(".folio-header").lower()
    page.locator("a.folio-series-nav__link--next").first.click()
    assert page.url.endswith(url_of(parts[2]))
    page.locator("a.folio-series-nav__link--prev").first.click()
    page.locator("a.folio-series-nav__link--prev").first.click()
    assert page.url.endswith(url_of(parts[0]))
