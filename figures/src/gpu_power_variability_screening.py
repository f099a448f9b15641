"""How much screening out slow GPUs helps a 1,024-GPU synchronous job.

Model (all inputs are assumptions stated in the article). GPU i has a static speed factor
s_i (its chip-to-chip component, fixed for the life of the job) and adds per-step noise e_it
(run-to-run component, redrawn every step). Its time for one step is s_i + e_it, relative to
the mean of one GPU. A step takes max_i (s_i + e_it) over the N GPUs of the job.

Screening: buy a pool of M = ceil(N * (1 + f)) GPUs, run a burn-in benchmark that measures
each GPU's static factor with an error of sd 0.5%, and keep the N that measured fastest.
f = 0 means no screening. The script estimates the expected step time by simulation with a
fixed seed (CLUSTERS pools, STEPS steps each) for three variance structures; without spares
(f = 0) the per-step times of the N GPUs are independent draws, so that point is computed
exactly from the order-statistics integral (the simulated value is printed beside it):

* static 2% + per-step 1% (most variation is chip-to-chip);
* per-step only, 2.24% (the same total variance, all of it run-to-run);
* static 1% with 0.1% outliers at 1.5x + per-step 0.5%.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.ticker import NullFormatter

from _style import new_figure, save

N = 1024
SPARE_FRACTIONS = np.array([0.0, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.10])
CLUSTERS = 200
STEPS = 40
SCREEN_ERROR = 0.005
CASES = [
    # label, static sd, per-step sd, outlier probability, outlier mean
    ("static 2% + per-step 1%", 0.02, 0.01, 0.0, 1.0),
    ("per-step only, 2.24% (same total variance)", 0.0, math.sqrt(0.02**2 + 0.01**2), 0.0, 1.0),
    ("static 1% with 0.1% outliers at 1.5x + per-step 0.5%", 0.01, 0.005, 0.001, 1.5),
]


def expected_step(rng: np.random.Generator, f: float, static_sd: float, step_sd: float,
                  p_out: float, slow: float) -> float:
    pool = math.ceil(N * (1 + f))
    totals = []
    for _ in range(CLUSTERS):
        mean = np.where(rng.random(pool) < p_out, slow, 1.0)
        static = mean + rng.normal(0.0, static_sd, size=pool) * mean
        measured = static + rng.normal(0.0, SCREEN_ERROR, size=pool)
        keep = np.argsort(measured)[:N]
        kept = static[keep]
        steps = kept[None, :] + rng.normal(0.0, step_sd, size=(STEPS, N))
        totals.append(steps.max(axis=1).mean())
    return float(np.mean(totals))


def exact_no_spares(static_sd: float, step_sd: float, p_out: float, slow: float) -> float:
    """E[max of N independent per-step times] without screening, from E[max] = int x d(F^N)."""
    grid = np.linspace(0.7, 1.9, 240_001)

    def cdf(mean: float) -> np.ndarray:
        sd = math.sqrt((static_sd * mean) ** 2 + step_sd**2)
        return 0.5 * np.vectorize(math.erfc)(-(grid - mean) / (sd * math.sqrt(2.0)))

    fn = ((1 - p_out) * cdf(1.0) + (p_out * cdf(slow) if p_out else 0.0)) ** N
    mid = 0.5 * (grid[1:] + grid[:-1])
    return float(np.sum(mid * np.diff(fn)) + grid[0] * fn[0])


def main() -> None:
    rng = np.random.default_rng(0)
    fig, ax = new_figure(width=7.0, height=4.2)
    markers = ["o", "s", "^"]
    for i, (label, s_sd, e_sd, p_out, slow) in enumerate(CASES):
        slowdown = np.array(
            [expected_step(rng, f, s_sd, e_sd, p_out, slow) - 1.0 for f in SPARE_FRACTIONS]
        )
        exact = exact_no_spares(s_sd, e_sd, p_out, slow) - 1.0
        print(f"{label:55s} spares= 0.00% exact {100 * exact:6.2f}% (simulated {100 * slowdown[0]:6.2f}%)")
        slowdown[0] = exact
        ax.plot(100 * SPARE_FRACTIONS, 100 * slowdown, marker=markers[i], color=f"C{i}",
                label=label, markersize=4)
        for f, s in zip(SPARE_FRACTIONS, slowdown, strict=True):
            print(f"{label:55s} spares={100 * f:5.2f}% expected slowdown {100 * s:6.2f}%")
    # Screening removes the outliers only if the pool holds no more of them than spares.
    for p_out in (0.001, 0.01):
        for f in (0.0025, 0.005, 0.01, 0.02):
            pool = math.ceil(N * (1 + f))
            spares = pool - N
            fits = sum(math.comb(pool, k) * p_out**k * (1 - p_out) ** (pool - k) for k in range(spares + 1))
            print(f"outlier rate {100 * p_out:4.1f}%, spares {100 * f:4.2f}% ({spares:2d} GPUs): "
                  f"P(all outliers screened out) = {fits:.4f}, expected outliers {pool * p_out:.2f}")
    ax.set_yscale("log")
    ticks = [2, 3, 5, 7, 10, 20, 35]
    ax.set_yticks(ticks)
    ax.set_yticklabels([str(t) for t in ticks])
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("spare GPUs screened out by a burn-in benchmark (% of N)")
    ax.set_ylabel("expected step time above one GPU's mean (%)")
    ax.set_title(f"Screening before an N = {N} synchronous job (simulation; 0% point exact)")
    ax.legend(fontsize=9, frameon=False, loc="upper right")
    save(fig, "gpu-power-variability-screening", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: a taller panel, labels and title in two lines, and the legend (as wide as the
    panel) below it."""
    ax = fig.axes[0]
    width, _ = fig.get_size_inches()
    fig.set_size_inches(width, 4.9)
    ax.set_xlabel(ax.get_xlabel().replace(" burn-in", "\nburn-in"))
    ax.set_ylabel(ax.get_ylabel().replace(" one GPU", "\none GPU"))
    ax.set_title(ax.get_title().replace("\n", " ").replace(" job (", "\njob ("), fontsize=10)
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    fig.legend(handles, labels, loc="outside lower center", ncol=1, fontsize=8, frameon=False)


if __name__ == "__main__":
    main()
