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


def test_citation_markers_attach_to_the_word_before_them():
    from folio.citations import SENTINEL, shield

    text = "Paged memory [@kwon2023vllm] helps.\n    [@yu2022orca] starts an indented line.\nMail a@b.org [@a; @b]"
    shielded = shield(text)
    assert "memory[@kwon2023vllm] helps" in shielded, "the space before a marker is removed"
    assert "\n    [@yu2022orca]" in shielded, "a line's indentation is kept"
    assert f"a{SENTINEL}b.org[@a; @b]" in shielded


def test_digit_groups_in_math_stay_one_number():
    from folio.mdx.math import to_mathml

    assert "<mn>128,256</mn>" in to_mathml("V = 128,256", False)
    assert "<mn>1,234,567.5</mn>" in to_mathml("1,234,567.5", True)
    assert "<mn>1</mn><mo>,</mo><mn>2</mn>" in to_mathml("f(1,2)", False), "a list of small numbers is still a list"


def test_number_columns_are_marked_and_word_columns_are_not():
    import markdown

    table = (
        "| model | params | share | note |\n|---|---:|---|---|\n"
        "| A | 70B | 12.5% | dense |\n| B | 1,234 GB | ~3.1x | - |\n| C | - | 1.2-2x | 8 GPUs |\n"
    )
    html = markdown.markdown(table, extensions=["tables", "folio.mdx.tables"])
    assert "<td>A</td>" in html, "a column of names is not a number column"
    assert '<th class="folio-num" style="text-align: right;">params</th>' in html, html
    assert '<td class="folio-num">12.5%</td>' in html and '<td class="folio-num">1.2-2x</td>' in html
    assert '<td class="folio-num">dense</td>' not in html and "8 GPUs</td>" in html and '<td class="folio-num">8 GPUs</td>' not in html


def test_formulas_converted_ahead_are_used_and_failures_left_to_the_page(monkeypatch):
    """The build converts a page's formulas in its second process; one that fails is left out,
    so the page converts it itself and the error is reported where it is written."""
    from folio.checks.math import page_mathml
    from folio.mdx import math

    ahead = page_mathml("Cost $a_{1} + b_{1}$ and $$\\frac{q}{r}$$ but $\\notacommand{x}$.\n")
    assert set(ahead) == {("a_{1} + b_{1}", False), ("\\frac{q}{r}", True)}
    marked = {formula: mathml.replace("<math", '<math data-ahead=""') for formula, mathml in ahead.items()}
    monkeypatch.setattr(math, "_converted_ahead", {})
    math.use_converted(marked)
    math.to_mathml.cache_clear()  # in the build, the conversion ahead ran in another process
    try:
        assert math.to_mathml("a_{1} + b_{1}", False).startswith('<math data-ahead=""')
        with pytest.raises(ValueError, match="notacommand"):
            math.to_mathml("\\notacommand{x}", False)
    finally:
        math.to_mathml.cache_clear()  # no marked MathML for later tests


def test_comparison_signs_in_math_are_operators():
    html = render("If $x > y$ and $a < b$ then $p \\ge q$, and\n\n$$\n\\frac{a}{b} > c\n$$\n")
    assert "<mo>&#x0003E;</mo>" in html and "<mo>&#x0003C;</mo>" in html
    assert "<mi>g</mi><mi>t</mi>" not in html and "&amp;" not in html, "arithmatex's escaped text was converted as TeX"


def test_every_formula_the_real_pages_render_was_converted_ahead(monkeypatch):
    """The build converts formulas ahead from each page's Markdown (checks.math.page_mathml); the
    page's math extension must ask for exactly those, or the work is done twice."""
    from conftest import ROOT
    from folio.checks.math import page_mathml
    from folio.documents import Site
    from folio.mdx import math

    missed: list[str] = []

    def not_ahead(tex: str, display: str) -> str:
        missed.append(tex)
        raise ValueError("converted in the page, not ahead")

    pages = [doc for doc in Site.load(ROOT).collection_documents if "$" in doc.front.body]
    assert len(pages) > 10
    for doc in pages:
        monkeypatch.setattr(math, "_converted_ahead", {})
        math.use_converted(page_mathml(doc.front.body))
        math.to_mathml.cache_clear()
        monkeypatch.setattr(math, "convert", not_ahead)
        try:
            render(doc.front.body)
        finally:
            monkeypatch.undo()
            math.to_mathml.cache_clear()
        assert not missed, f"{doc.rel_path}: {missed[:5]}"
