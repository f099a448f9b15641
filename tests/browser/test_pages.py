"""Every page in a real browser: no errors, nothing fetched from outside, math and images rendered, no sideways scroll."""

from __future__ import annotations

import pytest

from conftest import site_pages

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser-pages")]

# Any change to the class attribute of <html> or <body> restyles the whole page (Material's
# stylesheet has :not([class]) selectors), as does a color-scheme meta added or changed: after
# the first paint it is a long task on a phone.
CLASS_CHANGES_AFTER_LOAD = """window.folioClassChanges = [];
addEventListener('load', () => {
  const observer = new MutationObserver(changes => changes.forEach(change => {
    if (change.oldValue !== change.target.className) folioClassChanges.push(`${change.target.localName}: "${change.oldValue}" -> "${change.target.className}"`);
  }));
  [document.documentElement, document.body].forEach(root => observer.observe(root, { attributeOldValue: true, attributeFilter: ['class'] }));
  new MutationObserver(changes => changes.forEach(change => {  // the root's color-scheme restyles every element too
    const metas = [change.target, ...change.addedNodes].filter(node => node.matches && node.matches('meta[name="color-scheme"]'));
    metas.forEach(meta => folioClassChanges.push(`meta color-scheme: "${meta.content}" after load`));
  })).observe(document.head, { childList: true, subtree: true, attributes: true, attributeFilter: ['content'] });
});"""

# Milliseconds from the first paint to the request for Material's bundle (null if either is missing).
BUNDLE_AFTER_FIRST_PAINT = """() => {
  const paint = performance.getEntriesByType('paint')[0];
  const bundle = performance.getEntriesByType('resource').find(entry => /\\/bundle\\.[^/]*\\.js$/.test(entry.name));
  return paint && bundle ? bundle.startTime - paint.startTime : null;
}"""


def check_page(page, path: str) -> None:
    text = page.evaluate("""() => { const a = document.querySelector('article').cloneNode(true);
        a.querySelectorAll('code, pre, kbd').forEach(e => e.remove()); return a.innerText; }""")
    assert "$$" not in text and "\\frac" not in text, f"{path}: raw TeX in the page"
    # Figures load lazily (as the reader scrolls to them): load them all now, then check.
    page.eval_on_selector_all("article img[loading=lazy]", "imgs => imgs.forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("[...document.querySelectorAll('article img')].every(i => i.complete)")
    broken = page.eval_on_selector_all("article img", "imgs => imgs.filter(i => i.naturalWidth === 0).map(i => i.src)")
    assert not broken, f"{path}: images did not load: {broken}"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{path}: scrolls sideways by {overflow}px at 390px"
    changes = page.evaluate("folioClassChanges")
    assert not changes, f"{path}: the whole page restyled after load: {changes}"
    lead = page.evaluate(BUNDLE_AFTER_FIRST_PAINT)
    assert lead is not None, f"{path}: no paint entry or no request for Material's bundle"
    assert lead > 0, f"{path}: Material's bundle was requested {-lead:.0f} ms before the first paint (overrides/main.html)"


def test_every_page_loads_cleanly(real_site, base_url, browser):
    """Two tabs take turns: one page loads and runs its scripts while the other is checked."""
    from folio.pdf import READY

    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(CLASS_CHANGES_AFTER_LOAD)
    failures: list[str] = []
    tabs = [context.new_page() for _ in range(2)]
    for tab in tabs:  # each failure names the page it happened on (two load at once)
        tab.on("console", lambda m, tab=tab: failures.append(f"{tab.url}: console {m.type}: {m.text}") if m.type == "error" else None)
        # A request cut off because the test moved on to the next page is not a failure.
        tab.on("requestfailed", lambda r, tab=tab: None if "ERR_ABORTED" in (r.failure or "") else failures.append(f"{tab.url}: failed request {r.url}: {r.failure}"))
        tab.on("request", lambda r, tab=tab: None if r.url.startswith((base_url, "data:", "blob:")) else failures.append(f"{tab.url}: external request {r.url}"))
    pages = site_pages(real_site)
    assert len(pages) >= 5
    for first in range(0, len(pages), len(tabs)):
        turn = list(zip(tabs, pages[first : first + len(tabs)], strict=False))
        for tab, path in turn:
            tab.goto(base_url + path, wait_until="commit")
        for tab, path in turn:
            tab.wait_for_load_state("load")
            tab.wait_for_function(READY)
            check_page(tab, path)
    assert not failures, "\n".join(failures)
    context.close()
