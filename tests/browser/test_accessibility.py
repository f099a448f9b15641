"""axe-core, light and dark: no WCAG 2.1 A or AA violations on any page kind or on any element
kind the site renders (conftest.representative_pages: 16 of 57 pages cover all 237 element kinds
on 2026-11-28). Every page is still loaded and checked in test_pages.py. The palettes differ
only in colour (the same HTML, other CSS custom properties), so the dark scan runs the rules
that read colours; the light scan runs every A and AA rule."""

from __future__ import annotations

import pytest

from conftest import representative_pages

pytestmark = [pytest.mark.browser]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # the A/AA rules whose result depends on colours
RULES = {"light": {"type": "tag", "values": TAGS}, "dark": {"type": "rule", "values": COLOUR_RULES}}


@pytest.mark.parametrize(
    "scheme",
    [pytest.param("light", marks=pytest.mark.xdist_group("axe-light")), pytest.param("dark", marks=pytest.mark.xdist_group("axe-dark"))],
)
def test_no_accessibility_violations(real_site, base_url, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    report = []
    for path in representative_pages(real_site):
        page.goto(base_url + path, wait_until="load")
        result = axe.run(page, options={"runOnly": RULES[scheme], "resultTypes": ["violations"]})
        for violation in result.response["violations"]:
            node = violation["nodes"][0]
            report.append(f"{path or '/'}: {violation['id']} ({len(violation['nodes'])} nodes), e.g. {node['target']}: {node.get('failureSummary', '')[:160]}")
    context.close()
    assert not report, "\n".join(report)


def test_the_dark_scan_runs_every_colour_rule_of_the_light_scan(base_url, browser):
    """If a new axe-core version adds a rule that reads colours, the dark scan must run it too."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.goto(base_url + "about/", wait_until="load")
    Axe().run(page, options={"runOnly": RULES["dark"]})
    rules = page.evaluate("tags => axe.getRules(tags).map(rule => [rule.ruleId, rule.tags])", TAGS)
    page.close()
    colour = sorted(rule for rule, tags in rules if "cat.color" in tags)
    assert colour == sorted(COLOUR_RULES)
