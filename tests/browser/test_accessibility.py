"""axe-core, light and dark: no WCAG 2.1 A or AA violations on any page kind or on any element
kind the site renders (conftest.representative_pages: 16 of 57 pages cover every element kind).
Every page is still loaded and checked in test_pages.py.

Each page is opened once: its rules run in the palette it opens in, then the reader's toggle
switches the palette and the rules that read colours run again (the palettes differ only in
colour: the same HTML, other CSS custom properties). The next page opens in the palette the
toggle left, so the full set of rules runs on about half the pages in each palette.

The colour rules see one text element per colour signature (SAMPLE_COLOUR_ELEMENTS): what
axe's colour checks read is the element's text colour, size, weight, style and decoration and,
for it and every element around it, the colour, background and opacity; two elements alike in
all of these measure the same. Elements that another element may cover (anything positioned
out of flow or floated that overlaps them) and elements over a background image are always
checked. A series part has thousands of highlighted code tokens and math identifiers with a
few dozen signatures; checking each was most of the scan's time."""

from __future__ import annotations

import pytest

from conftest import axe_violations, representative_pages, visit

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("axe")]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # the A/AA rules whose result depends on colours
SAMPLED = "data-axe-colour-sample"

SAMPLE_COLOUR_ELEMENTS = """(mark) => {
  document.querySelectorAll(`[${mark}]`).forEach(element => element.removeAttribute(mark));
  const hasText = element => [...element.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const covering = [...document.body.querySelectorAll('*')].filter(element => {
    const style = getComputedStyle(element);
    return (!['static', 'relative'].includes(style.position) || style.float !== 'none') && element.checkVisibility();
  }).map(element => [element, element.getBoundingClientRect()]);
  const covered = (element, box) => covering.some(([other, area]) => !other.contains(element) && !element.contains(other)
    && area.left < box.right && box.left < area.right && area.top < box.bottom && box.top < area.bottom);
  const surroundings = new Map();
  const around = element => {
    if (!element) return '';
    if (!surroundings.has(element)) {
      const style = getComputedStyle(element);
      surroundings.set(element, [style.color, style.backgroundColor, style.backgroundImage, style.opacity,
        style.filter, style.mixBlendMode].join(' ') + ' < ' + around(element.parentElement));
    }
    return surroundings.get(element);
  };
  const seen = new Set();
  for (const element of document.body.querySelectorAll('*')) {
    const control = element.matches('a, button, input, select, textarea');
    if (!(control || hasText(element)) || !element.checkVisibility()) continue;
    const style = getComputedStyle(element);
    const signature = [style.fontSize, style.fontWeight, style.fontStyle, style.textDecorationLine, style.textShadow,
      style.borderBottomStyle, style.borderBottomColor, around(element)].join(' ');
    const always = /url\\(|gradient/.test(signature) || covered(element, element.getBoundingClientRect());
    if (always || !seen.has(signature)) element.setAttribute(mark, '');
    seen.add(signature);
  }
  return document.querySelectorAll(`[${mark}]`).length;
}"""


def colour_violations(page) -> list[dict]:
    """axe's colour rules on one element of each colour signature (and everything inside it)."""
    page.evaluate(SAMPLE_COLOUR_ELEMENTS, SAMPLED)
    sampled = {"include": [[f"[{SAMPLED}]"]]}
    return axe_violations(page, sampled, {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]})


def other_violations(page) -> list[dict]:
    """Every other A/AA rule, on the whole page."""
    colour_off = {rule: {"enabled": False} for rule in COLOUR_RULES}
    return axe_violations(page, None, {"runOnly": {"type": "tag", "values": TAGS}, "rules": colour_off, "resultTypes": ["violations"]})


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def switch_palette(page) -> None:
    """The reader's toggle in the header; returns once the new colours are applied."""
    before = scheme(page)
    page.locator("form[data-folio-palette] label:visible").first.click()
    page.wait_for_function(
        "before => document.body.getAttribute('data-md-color-scheme') !== before && !document.body.hasAttribute('data-md-color-switching')", arg=before
    )


def test_no_accessibility_violations_in_either_palette(real_site, base_url, browser):
    context = browser.new_context()
    page = context.new_page()
    report = []
    for path in representative_pages(real_site):
        visit(page, base_url + path)
        found = [(scheme(page), violation) for violation in other_violations(page) + colour_violations(page)]
        switch_palette(page)
        found += [(scheme(page), violation) for violation in colour_violations(page)]
        for palette, violation in found:
            node = violation["nodes"][0]
            report.append(f"{path or '/'} ({palette}): {violation['id']} ({len(violation['nodes'])} nodes), e.g. {node['target']}: {node.get('failureSummary', '')[:160]}")
    context.close()
    assert not report, "\n".join(report)


def test_the_colour_rules_are_every_rule_that_reads_colours(browser):
    """If a new axe-core version adds a rule that reads colours, it must run in both palettes."""
    page = browser.new_page()
    page.set_content('<!doctype html><html lang="en"><head><title>t</title></head><body><main><p>axe</p></main></body></html>')
    axe_violations(page, None, {"runOnly": {"type": "rule", "values": COLOUR_RULES}})
    rules = page.evaluate("tags => axe.getRules(tags).map(rule => [rule.ruleId, rule.tags])", TAGS)
    page.close()
    colour = sorted(rule for rule, tags in rules if "cat.color" in tags)
    assert colour == sorted(COLOUR_RULES)


SAMPLING_PAGE = """<!doctype html><html lang="en"><head><title>t</title><style>
pre { background: #fff; color: #000; } .k { color: #111; } .faint { color: #ccc; }
tr:nth-child(even) { background: #333; } #cover { position: absolute; left: 0; width: 100%%; height: 1.2em; background: #eee; }
</style></head><body><main>%s</main></body></html>"""


def test_each_colour_signature_is_scanned_once_and_a_faint_one_is_found(browser):
    """Of many elements that look alike, one is scanned; an element that looks different (a token
    too faint to read, a row on another background) is always scanned, so its violation is found;
    an element something else may cover is always scanned; a hidden one never is."""
    blocks = "<pre><code><span class='k'>def</span> f(): pass</code></pre>" * 30
    rows = "<table>" + "".join(f"<tr><td>row {n}</td></tr>" for n in range(1, 5)) + "</table>"
    hidden = "<details><summary>More</summary><pre><code><span class='k hidden'>x = 1</span></code></pre></details>"
    covered = "<p>same</p><p id='under'>same</p><div id='cover'></div>"
    page = browser.new_page()
    page.set_content(SAMPLING_PAGE % (blocks + rows + hidden + covered + "<pre><code><span class='faint'>token = 42</span></code></pre>"))
    page.evaluate("document.getElementById('cover').style.top = document.getElementById('under').offsetTop + 'px'")
    violations = colour_violations(page)
    marked = lambda selector: page.locator(f"{selector}[{SAMPLED}]").count()  # noqa: E731
    assert (marked(".k"), marked(".hidden"), marked(".faint")) == (1, 0, 1)
    assert [marked(f"tr:nth-child({n}) td") for n in range(1, 5)] == [1, 1, 0, 0]
    assert (marked("p:not([id])"), marked("#under")) == (1, 1)
    assert [v["id"] for v in violations] == ["color-contrast"]
    assert sorted(node["target"][0] for node in violations[0]["nodes"]) == [".faint", "tr:nth-child(2) > td"]
    page.close()
