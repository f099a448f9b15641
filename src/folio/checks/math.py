"""MATH: every formula converts to MathML, checked where it is written (one report per formula).

The build's Markdown extension converts the same formulas with the same function and shows a
failing one as its TeX source; this rule is what names the file and line.
"""

from __future__ import annotations

from folio.documents import Document
from folio.mdx.math import convert_ahead, to_mathml
from folio.problems import Problem
from folio.scan import DISPLAY_MATH, INLINE_MATH, Source


def formulas(prose: str) -> list[tuple[int, str, bool]]:
    """(offset, TeX, display) of each formula in the prose, in page order."""
    display_spans = [(m.start(), m.end()) for m in DISPLAY_MATH.finditer(prose)]
    found = [(m.start(), m.group(0)[2:-2].strip(), True) for m in DISPLAY_MATH.finditer(prose)]
    found += [(m.start(), m.group(1).strip(), False) for m in INLINE_MATH.finditer(prose) if not any(a <= m.start() < b for a, b in display_spans)]
    return sorted(found)


def page_mathml(markdown: str) -> dict[tuple[str, bool], str]:
    """The MathML of a page body's formulas, for the build to convert ahead of the page."""
    return convert_ahead((tex, display) for _, tex, display in formulas(Source(markdown).prose)) if "$" in markdown else {}


def check_math(doc: Document) -> list[Problem]:
    prose = doc.source.prose
    if "$" not in prose:
        return []
    problems = []
    for offset, tex, display in formulas(prose):
        try:
            to_mathml(tex, display)
        except Exception as exc:  # noqa: BLE001 - latex2mathml raises many types for bad TeX
            line, col = doc.source.locate(offset)
            problems.append(Problem(doc.rel_path, line, col, "MATH001", f"formula cannot be rendered ({type(exc).__name__}: {exc}): {tex[:60]}; fix the TeX"))
    return problems
