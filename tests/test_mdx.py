"""The Python-Markdown extensions on their own: math to MathML, cross-references to numbers."""

from __future__ import annotations

import markdown
import pytest

from folio.mdx.math import to_mathml


def render(text: str) -> str:
    md = markdown.Markdown(
        extensions=["pymdownx.arithmatex", "folio_math", "pymdownx.blocks.caption", "folio_xref", "tables", "pymdownx.superfences"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}, "pymdownx.blocks.caption": {"auto": True}},
    )
    return md.convert(text)


def test_inline_and_display_math_become_mathml():
    html = render("Cost $O(n^2)$ and\n\n$$\n\\arg\\max_x \\frac{a}{b}\n$$\n")
    assert html.count("<math") == 2 and 'display="block"' in html
    assert "\\frac" not in html and "arg" in html


def test_dollars_in_code_and_escaped_dollars_are_left_alone():
    html = render("Price \\$5 and `$x$` and\n\n```python\ncost = '$1 $2'\n```\n")
    assert "<math" not in html and "$5" in html and "$x$" in html


@pytest.mark.parametrize("tex", ["\\notacommand{x}", "\\frac{1}{2} \\wibble"])
def test_unknown_commands_are_errors(tex):
    with pytest.raises(ValueError, match="unsupported TeX command"):
        to_mathml(tex, False)
    html = render(f"${tex}$")
    assert "folio-math--unrendered" in html and "data-folio-error" not in html, "shown as TeX; MATH001 reports it"


def test_cross_references_number_figures_and_tables_in_page_order():
    text = (
        "See [](#fig-b), [](#fig-a) and [](#tab-x).\n\n![one](a.svg)\n\n/// figure-caption | #fig-a\nA.\n///\n\n"
        "![two](b.svg)\n\n/// figure-caption | #fig-b\nB.\n///\n\n| h |\n|---|\n| 1 |\n\n/// table-caption | #tab-x\nT.\n///\n"
    )
    html = render(text)
    assert '<a class="folio-xref" href="#fig-b">Figure 2</a>' in html
    assert '<a class="folio-xref" href="#fig-a">Figure 1</a>' in html
    assert '<a class="folio-xref" href="#tab-x">Table 1</a>' in html


def test_unknown_cross_reference_is_marked():
    html = render("See [](#fig-nowhere).\n")
    assert '<a class="folio-xref folio-xref--unknown" href="#fig-nowhere">[unknown reference #fig-nowhere]</a>' in html
    assert "data-folio-error" not in html, "errors reach the plugin through the checks (FIG006), not the page"


def test_links_with_text_are_not_cross_references():
    html = render("See [the figure](#fig-a).\n\n![one](a.svg)\n\n/// figure-caption | #fig-a\nA.\n///\n")
    assert ">the figure</a>" in html and "folio-xref" not in html
