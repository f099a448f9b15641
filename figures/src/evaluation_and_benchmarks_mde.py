"""Smallest accuracy difference between two models that a benchmark of n items can detect.

Two-sided test at level 0.05 with 80% power, normal approximation. Both models are assumed to have
the same accuracy p = 0.7 (the difference to detect is small next to p).

Unpaired: two scores from independent item sets (or compared without pairing) have a difference
with variance 2 p (1 - p) / n.

Paired: when both models answer the *same* items, the per-item score difference d_i is -1, 0 or +1
and its variance is about q, the fraction of items on which exactly one model is right (discordant
items), so the paired difference has variance q / n. With a per-item correlation rho between the two
models' 0/1 scores, q = 2 p (1 - p) (1 - rho): rho = 0 gives back the unpaired case, and pairing
helps only as far as the two models succeed and fail on the same items.

rho is the uncertain modelling choice. The curves use rho = 0.3, 0.5 and 0.7 as a sensitivity band;
they are not measurements. (The article's HumanEval example, 20 discordant problems out of 164 at a
mean accuracy of 74%, implies rho = 0.68.) The minimum detectable effect (MDE) is
(z_{0.975} + z_{0.8}) times the standard error of the difference.
"""

from __future__ import annotations

import math

import numpy as np

from _evaluation_stats import BENCHMARKS, mark_benchmarks
from _style import new_figure, save

Z_ALPHA, Z_POWER = 1.959963984540054, 0.8416212335729143
P = 0.7
RHOS = (0.3, 0.5, 0.7)


def discordance(rho: float, p: float = P) -> float:
    return 2 * p * (1 - p) * (1 - rho)


def mde_unpaired(n: float, p: float = P) -> float:
    return (Z_ALPHA + Z_POWER) * math.sqrt(2 * p * (1 - p) / n)


def mde_paired(n: float, rho: float) -> float:
    return (Z_ALPHA + Z_POWER) * math.sqrt(discordance(rho) / n)


def main() -> None:
    ns = np.geomspace(20, 20000, 300)
    fig, ax = new_figure(width=7.0, height=4.2)
    ax.plot(ns, [100 * mde_unpaired(n) for n in ns], label=f"unpaired, accuracy {P:.0%}")
    for rho in RHOS:
        ax.plot(ns, [100 * mde_paired(n, rho) for n in ns],
                label=f"paired, per-item correlation {rho:.1f} (q = {discordance(rho):.2f})")
    mark_benchmarks(ax, y_top=39, y_bottom=1)
    for name, (n, _, _) in BENCHMARKS.items():
        print(f"{name:18s} n={n:6d}: MDE unpaired {100 * mde_unpaired(n):.1f} pts; paired "
              + ", ".join(f"rho={rho:.1f}: {100 * mde_paired(n, rho):.1f} pts" for rho in RHOS))
    for target in (0.02, 0.01):
        n_unp = (Z_ALPHA + Z_POWER) ** 2 * 2 * P * (1 - P) / target**2
        n_pair = [(Z_ALPHA + Z_POWER) ** 2 * discordance(rho) / target**2 for rho in RHOS]
        print(f"items needed to detect {100 * target:.0f} pts: unpaired {math.ceil(n_unp):,d}; paired "
              + ", ".join(f"rho={rho:.1f}: {math.ceil(x):,d}" for rho, x in zip(RHOS, n_pair, strict=True)))
    ax.set_xscale("log")
    ax.set_xlabel("number of benchmark items n (log scale)")
    ax.set_ylabel("minimum detectable difference (points)")
    ax.set_ylim(0, 40)
    ax.legend(frameon=False, fontsize=8, loc="center right", bbox_to_anchor=(1.0, 0.45))
    save(fig, "evaluation-and-benchmarks-mde")


if __name__ == "__main__":
    main()
