"""axe-core, light and dark: no WCAG 2.1 A or AA violations on any page kind or on any element
kind the site renders (conftest.representative_pages: 16 of 57 pages cover all 237 element kinds
on 2026-11-28). Every page is still loaded and checked in test_pages.py. The palettes differ
only in colour (the same HTML, other CSS custom properties), so the dark scan runs the rules
that read colours; the light scan runs every A and AA rule.

Inside code blocks, the colour rules see one block per code element kind: a series part has
thousands of highlighted tokens of a few dozen kinds, and checking each token's contrast was
most of the scan's time. Every other rule sees every block."""

from __future__ import annotations

import pytest

from conftest import representative_pages, visit

pytestmark = [pytest.mark.browser]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # the A/AA rules whose result depends on colours
RULES = {"light": {"type": "tag", "values": TAGS}, "dark": {"type": "rule", "values": COLOUR_RULES}}
SKIPPED = "data-axe-colour-sampled-elsewhere"

# Greedy cover of the code element kinds ('tag' and 'tag.class', as conftest.page_elements
# counts them, each with the box around its block that can set another background: an
# admonition, a details block, a tab, a table cell), smallest blocks first by kinds added per
# element. Only visible blocks count (axe checks no hidden text); a block with inline styles is
# always kept (its colours are not set by its classes). The other blocks get the SKIPPED mark.
SAMPLE_CODE_BLOCKS = """(skipped) => {
  const blocks = [...document.querySelectorAll('pre')].filter(block => block.checkVisibility());
  const box = block => {
    const around = block.closest('.admonition, details, .tabbed-block, td, th');
    return around ? around.localName + '.' + [...around.classList].join('.') + ' ' : '';
  };
  const kinds = block => new Set([block, ...block.querySelectorAll('*')].flatMap(
    e => [e.localName, ...[...e.classList].map(name => e.localName + '.' + name)]).map(kind => box(block) + kind));
  const sets = blocks.map(kinds);
  const size = blocks.map(block => block.querySelectorAll('*').length + 1);
  const chosen = new Set(blocks.flatMap((block, i) => block.querySelector('[style]') ? [i] : []));
  const covered = new Set([...chosen].flatMap(i => [...sets[i]]));
  const everything = new Set(sets.flatMap(set => [...set]));
  while (covered.size < everything.size) {
    let best = -1, value = 0;
    sets.forEach((set, i) => {
      const gain = [...set].filter(kind => !covered.has(kind)).length / size[i];
      if (gain > value) { best = i; value = gain; }
    });
    chosen.add(best);
    sets[best].forEach(kind => covered.add(kind));
  }
  document.querySelectorAll('pre').forEach(block => { if (!block.checkVisibility()) block.setAttribute(skipped, ''); });
  blocks.forEach((block, i) => { if (!chosen.has(i)) block.setAttribute(skipped, ''); });
  return chosen.size;
}"""


def scan(axe, page, scheme: str) -> list[dict]:
    """axe's violations on the loaded page: colour rules with code blocks sampled, the rest on all."""
    page.evaluate(SAMPLE_CODE_BLOCKS, SKIPPED)
    sampled = {"exclude": [[f"[{SKIPPED}]"]]}
    if scheme == "dark":
        return axe.run(page, sampled, {"runOnly": RULES["dark"], "resultTypes": ["violations"]}).response["violations"]
    colour_off = {rule: {"enabled": False} for rule in COLOUR_RULES}
    rest = axe.run(page, None, {"runOnly": RULES["light"], "rules": colour_off, "resultTypes": ["violations"]})
    colour = axe.run(page, sampled, {"runOnly": RULES["dark"], "resultTypes": ["violations"]})
    return rest.response["violations"] + colour.response["violations"]


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
        visit(page, base_url + path)
        for violation in scan(axe, page, scheme):
            node = violation["nodes"][0]
            report.append(f"{path or '/'}: {violation['id']} ({len(violation['nodes'])} nodes), e.g. {node['target']}: {node.get('failureSummary', '')[:160]}")
    context.close()
    assert not report, "\n".join(report)


def test_the_dark_scan_runs_every_colour_rule_of_the_light_scan(base_url, browser):
    """If a new axe-core version adds a rule that reads colours, the dark scan must run it too."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    visit(page, base_url + "about/")
    Axe().run(page, options={"runOnly": RULES["dark"]})
    rules = page.evaluate("tags => axe.getRules(tags).map(rule => [rule.ruleId, rule.tags])", TAGS)
    page.close()
    colour = sorted(rule for rule, tags in rules if "cat.color" in tags)
    assert colour == sorted(COLOUR_RULES)


LOW_CONTRAST_TOKEN = """<!doctype html><html lang="en"><head><title>t</title><style>
pre { background: #fff; color: #000; } .k { color: #111; } .faint { color: #ccc; }</style></head>
<body><main>%s</main></body></html>"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_code_kind_found_in_one_small_block_is_scanned_for_contrast(browser, scheme):
    """Of many blocks with the same kinds, one is scanned; the one block that adds a kind (here a
    token too faint to read) is always among the scanned, so its violation is found."""
    from axe_playwright_python.sync_playwright import Axe

    common = "<pre><code><span class='k'>def</span> f(): pass</code></pre>" * 30
    in_a_cell = "<table><tr><td><pre><code><span class='k'>def</span> g(): pass</code></pre></td></tr></table>"
    hidden = "<details><summary>More</summary><pre><code><span class='hidden-kind'>x = 1</span></code></pre></details>"
    page = browser.new_page()
    page.set_content(LOW_CONTRAST_TOKEN % (common + in_a_cell + hidden + "<pre><code><span class='faint'>token = 42</span></code></pre>"))
    violations = scan(Axe(), page, scheme)
    # kept: one common block, the one in a table cell (another background could apply), the faint one
    assert page.locator(f"pre:not([{SKIPPED}])").count() == 3
    assert page.locator(f"td pre:not([{SKIPPED}])").count() == 1 and page.locator(f"details pre[{SKIPPED}]").count() == 1
    assert [v["id"] for v in violations] == ["color-contrast"] and violations[0]["nodes"][0]["target"] == [".faint"]
    page.close()
