"""Smallest accuracy difference between two models that a benchmark of n items can detect.

Two-sided test at level 0.05 with 80% power, normal approximation. For two models scored on
*independent* item sets (or compared without pairing) the variance of the difference in accuracy is
2 p (1 - p) / n, taken at p = 0.7. When both models answer the *same* items, the per-item score
difference d_i is -1, 0 or +1 and its variance is about q, the fraction of items on which the two
models disagree (discordant items), so the paired difference has variance q / n. The minimum
detectable effect (MDE) is (z_{0.975} + z_{0.8}) times the standard error of the difference.
Discordance rates q = 0.1, 0.2 and 0.3 are assumptions for illustration, not measurements.
"""

from __future__ import annotations

import math

import numpy as np

from _style import new_figure, save

Z_ALPHA, Z_POWER = 1.959963984540054, 0.8416212335729143
P = 0.7
BENCHMARKS = {"HumanEval": 164, "GPQA": 448, "GSM8K test": 1000, "MMLU test": 14000}


def mde_unpaired(n: float, p: float = P) -> float:
    return (Z_ALPHA + Z_POWER) * math.sqrt(2 * p * (1 - p) / n)


def mde_paired(n: float, q: float) -> float:
    return (Z_ALPHA + Z_POWER) * math.sqrt(q / n)


def main() -> None:
    ns = np.geomspace(50, 20000, 300)
    fig, ax = new_figure(width=7.0, height=4.0)
    ax.plot(ns, [100 * mde_unpaired(n) for n in ns], label=f"unpaired, accuracy {P:.0%}")
    for q in (0.3, 0.2, 0.1):
        ax.plot(ns, [100 * mde_paired(n, q) for n in ns], label=f"paired, {q:.0%} of items discordant")
    for name, n in BENCHMARKS.items():
        ax.axvline(n, color="0.5", linestyle=":", linewidth=1)
        ax.text(n * 1.05, 29, name, rotation=90, fontsize=8, color="0.3", va="top")
        print(f"{name:10s} n={n:6d}: MDE unpaired {100 * mde_unpaired(n):.1f} pts; paired "
              + ", ".join(f"q={q:.1f}: {100 * mde_paired(n, q):.1f} pts" for q in (0.1, 0.2, 0.3)))
    for target in (0.02, 0.01):
        n_unp = (Z_ALPHA + Z_POWER) ** 2 * 2 * P * (1 - P) / target**2
        n_pair = (Z_ALPHA + Z_POWER) ** 2 * 0.1 / target**2
        print(f"items needed to detect {100 * target:.0f} pts: unpaired {math.ceil(n_unp):,d}, "
              f"paired with q=0.1 {math.ceil(n_pair):,d}")
    ax.set_xscale("log")
    ax.set_xlabel("number of benchmark items n (log scale)")
    ax.set_ylabel("minimum detectable difference (points)")
    ax.set_ylim(0, 30)
    ax.legend(frameon=False, fontsize=9, loc="center right", bbox_to_anchor=(1.0, 0.6))
    save(fig, "evaluation-and-benchmarks-mde")


if __name__ == "__main__":
    main()
