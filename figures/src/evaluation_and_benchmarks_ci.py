"""Uncertainty of a benchmark accuracy as a function of the number of items.

Left: half-width of the 95% Wilson score interval (Wilson 1927) for an observed accuracy p on n
independent items, for p = 0.5, 0.8 and 0.95. Vertical lines mark the item counts of public
benchmarks (AIME, HumanEval, GPQA Diamond, SWE-bench Verified, GSM8K test, MMLU test), defined with
their sources in _evaluation_stats.py.

Right: exact coverage of the nominal 95% Wald interval (p +/- 1.96 sqrt(p(1-p)/n)) and of the Wilson
interval when the true accuracy is 0.95, computed by summing binomial probabilities over every
possible number of correct answers; no simulation, so the output is deterministic. The script also
prints the range of the Wilson coverage over n = 20-500, which the article quotes.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import MultipleLocator

from _evaluation_stats import BENCHMARKS, mark_benchmarks
from _style import new_figure, save

Z = 1.959963984540054  # two-sided 95% normal quantile


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    p = k / n
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return center - half, center + half


def wald(k: int, n: int, z: float = Z) -> tuple[float, float]:
    p = k / n
    half = z * math.sqrt(p * (1 - p) / n)
    return p - half, p + half


def coverage(interval, p: float, n: int) -> float:
    total = 0.0
    for k in range(n + 1):
        lo, hi = interval(k, n)
        if lo <= p <= hi:
            total += math.comb(n, k) * p**k * (1 - p) ** (n - k)
    return total


def half_width(p: float, n: int, z: float = Z) -> float:
    """Wilson half-width for an observed accuracy p (treated as continuous) on n items."""
    return z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))


def main() -> None:
    fig, (ax, bx) = new_figure(width=9.0, height=4.0, ncols=2)
    ns = np.unique(np.geomspace(20, 20000, 300).astype(int))
    for p in (0.5, 0.8, 0.95):
        widths = [100 * half_width(p, int(n)) for n in ns]
        ax.plot(ns, widths, label=f"accuracy {p:.0%}")
    mark_benchmarks(ax, y_top=19.5, y_bottom=0.5)
    for name, (n, _, _) in BENCHMARKS.items():
        print(f"{name:18s} n={n:6d}: 95% Wilson half-width "
              + ", ".join(f"p={p:.2f}: {100 * half_width(p, n):.2f} pts" for p in (0.5, 0.8, 0.95)))
    ax.set_xscale("log")
    ax.set_xlabel("number of benchmark items n (log scale)")
    ax.set_ylabel("95% interval half-width (points)")
    ax.set_ylim(0, 20)
    ax.legend(frameon=False, fontsize=8, loc="center right", bbox_to_anchor=(1.0, 0.45))
    ax.set_title("Wilson interval half-width", fontsize=11)

    p_true = 0.95
    cn = list(range(20, 501))
    cov_wald = [100 * coverage(wald, p_true, n) for n in cn]
    cov_wilson = [100 * coverage(wilson, p_true, n) for n in cn]
    bx.plot(cn, cov_wald, label="Wald (normal approximation)")
    bx.plot(cn, cov_wilson, label="Wilson score")
    bx.axhline(95, color="0.3", linestyle="--", linewidth=1)
    bx.set_xlabel("number of benchmark items n")
    bx.set_ylabel("actual coverage of nominal 95% interval (%)")
    bx.set_ylim(60, 100)
    bx.legend(frameon=False, fontsize=9, loc="lower right")
    bx.set_title("coverage when true accuracy is 95%", fontsize=11)
    for n in (40, 164):
        print(f"coverage at p=0.95, n={n}: Wald {100 * coverage(wald, p_true, n):.1f}%, "
              f"Wilson {100 * coverage(wilson, p_true, n):.1f}%")
    lo = min(range(len(cn)), key=lambda i: cov_wilson[i])
    hi = max(range(len(cn)), key=lambda i: cov_wilson[i])
    print(f"Wilson coverage at p=0.95 over n=20-500: {cov_wilson[lo]:.1f}% (n={cn[lo]}) "
          f"to {cov_wilson[hi]:.1f}% (n={cn[hi]})")
    save(fig, "evaluation-and-benchmarks-ci", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: the right panel's y label is taller than a stacked panel; it breaks in two.
    The taller panels keep the desktop's y ticks every 5 points and 10%."""
    ax, bx = fig.axes[:2]
    ax.yaxis.set_major_locator(MultipleLocator(5))
    bx.yaxis.set_major_locator(MultipleLocator(10))
    bx.set_ylabel(bx.get_ylabel().replace(" of nominal", "\nof nominal"))
    width, height = fig.get_size_inches()
    fig.set_size_inches(width, height + 0.6)


if __name__ == "__main__":
    main()
