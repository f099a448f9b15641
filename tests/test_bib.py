"""References are formatted from BibTeX with pybtex's LaTeX decoding: no raw TeX reaches a reader."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string

from folio.bib import BibEntry, format_reference, latex_to_html, latex_to_text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"hidden\_size 4096, vocab\_size 128256", "hidden_size 4096, vocab_size 128256"),
        (r"{GPQA}: A Graduate-Level Google-Proof {Q\&A} Benchmark", "GPQA: A Graduate-Level Google-Proof Q&A Benchmark"),
        (r"M{\"u}ller and Caf{\'e} and {\'E}cole", "Müller and Café and École"),
        (r"\emph{Scaling} laws for 50\% of \textit{the} cost", "Scaling laws for 50% of the cost"),
        (r"Attention in $O(n^2)$ time", "Attention in O(n^2) time"),
        ("pages 10--20 --- a dash", "pages 10–20 — a dash"),
        (r"revenue above US\$20 million and $k$ samples", "revenue above US$20 million and k samples"),
        ("Our Response to ``The Leaderboard Illusion'' Writeup", "Our Response to \u201cThe Leaderboard Illusion\u201d Writeup"),
        (r"{\#}1 at AT\&T, {the} tie~here", "#1 at AT&T, the tie here"),
    ],
)
def test_latex_fields_become_plain_text(latex, text):
    assert latex_to_text(latex) == text


def test_math_in_a_title_becomes_mathml_and_text_is_escaped():
    out = latex_to_html(r"The $\alpha$-entmax of {Q\&A} <tags>")
    assert out.startswith('The <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mi>α</mi></math>-entmax')
    assert out.endswith("of Q&amp;A &lt;tags&gt;")
    assert latex_to_html(r"over US\$20 million") == "over US$20 million", "an escaped dollar is a currency sign, not math"


def test_a_reference_with_accents_escapes_and_math_renders_clean():
    data = parse_string(
        r"""@article{muller2024scaling,
  title   = {Scaling $k$-means to {GPUs}: hidden\_size \& more},
  author  = {M{\"u}ller, J{\"o}rg and Smith, Ann},
  journal = {Journal of {ML} \& Systems},
  year    = {2024},
  doi     = {10.1000/xyz},
}""",
        "bibtex",
    )
    html = format_reference(BibEntry("muller2024scaling", "references/x.bib", 1, data.entries["muller2024scaling"]))
    assert html.startswith("Jörg Müller and Ann Smith. <em>Scaling <math")
    assert "-means to GPUs: hidden_size &amp; more</em>. Journal of ML &amp; Systems, 2024." in html
    assert "\\" not in html and "{" not in html and "&quot;" not in html
