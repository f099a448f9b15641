"""Benchmark sizes and their marker lines, shared by the evaluation-and-benchmarks figure scripts.

Both figures mark the same public benchmarks with dotted vertical lines: one year of AIME
(30 problems: the AIME I and II papers), HumanEval (164 problems, Chen et al. 2021), GPQA Diamond
(198 questions, Rein et al. 2023), SWE-bench Verified (500 tasks, OpenAI 2024), the released GSM8K
test file (1,319 problems, github.com/openai/grade-school-math; the paper rounds it to "1K") and the
MMLU test split (about 14,000 questions, Hendrycks et al. 2021).
"""

from __future__ import annotations

from typing import Any

# name: (items, label placed left (-1) or right (+1) of the line, label at the top (True) or bottom)
BENCHMARKS: dict[str, tuple[int, int, bool]] = {
    "AIME (1 year)": (30, 1, False),
    "HumanEval": (164, -1, True),
    "GPQA Diamond": (198, 1, True),
    "SWE-bench Verified": (500, 1, True),
    "GSM8K test": (1319, 1, True),
    "MMLU test": (14000, 1, True),
}


def mark_benchmarks(ax: Any, y_top: float, y_bottom: float) -> None:
    """Dotted vertical line and rotated label at each benchmark's item count."""
    for name, (n, side, top) in BENCHMARKS.items():
        ax.axvline(n, color="0.5", linestyle=":", linewidth=1)
        ax.text(n * 1.05**side, y_top if top else y_bottom, name, rotation=90, fontsize=7,
                color="0.3", va="top" if top else "bottom", ha="left" if side > 0 else "right")
