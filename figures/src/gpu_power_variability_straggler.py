"""Expected slowdown of a synchronous step as the number of GPUs grows.

A synchronous step ends when the slowest of N GPUs finishes, so its expected time is the
expected maximum of N per-GPU times. Per-GPU times are expressed relative to the mean time
of one GPU (1.0) and drawn independently from a stated distribution:

* normal with a coefficient of variation of 1%, 2% or 4%;
* a mixture: with probability 1 - p normal with a 1% coefficient of variation, with
  probability p an outlier whose mean time is 1.5 (the largest outlier slowdown that
  Sinha et al. report in the arXiv version of their SC22 paper), also with a 1% spread.
  The outlier rate p has no published source; it is an assumption, drawn at 0.1% and, as
  a sensitivity check, at 0.01% and 0.001%.

The expected maximum is computed exactly from the order-statistics formula
E[max] = integral of x d(F(x)^N) on a fine grid, and checked with a Monte Carlo simulation
with a fixed seed. The script prints the values quoted in the article.
"""

from __future__ import annotations

import math

import numpy as np

from _style import new_figure, save

GPU_COUNTS = 2 ** np.arange(0, 15)  # 1 ... 16384
NORMAL_CVS = [0.01, 0.02, 0.04]
MIX_PS, MIX_SLOW, MIX_CV = (1e-3, 1e-4, 1e-5), 1.5, 0.01
MC_TRIALS = 2000
GRID = np.linspace(0.7, 1.8, 220_001)

_erfc = np.vectorize(math.erfc)


def normal_cdf(x: np.ndarray, mean: float, sd: float) -> np.ndarray:
    return 0.5 * _erfc(-(x - mean) / (sd * math.sqrt(2.0)))


def expected_max(cdf: np.ndarray, n: int) -> float:
    """E[max of n i.i.d. draws] from the CDF tabulated on GRID (Stieltjes sum)."""
    fn = cdf**n
    mid = 0.5 * (GRID[1:] + GRID[:-1])
    return float(np.sum(mid * np.diff(fn)) + GRID[0] * fn[0])


def main() -> None:
    rng = np.random.default_rng(0)
    cdfs = {f"normal, CV {cv:.0%}": normal_cdf(GRID, 1.0, cv) for cv in NORMAL_CVS}
    mix_p = {}
    for p in MIX_PS:
        mix_label = f"mixture: {100 * p:g}% outliers at {MIX_SLOW}x, CV 1%"
        mix_p[mix_label] = p
        cdfs[mix_label] = (1 - p) * normal_cdf(GRID, 1.0, MIX_CV) + p * normal_cdf(
            GRID, MIX_SLOW, MIX_CV * MIX_SLOW
        )

    fig, ax = new_figure(width=7.0, height=4.2)
    styles = ["-", "-", "-", "--", "-.", ":"]
    for i, (label, cdf) in enumerate(cdfs.items()):
        slow = np.array([expected_max(cdf, int(n)) - 1.0 for n in GPU_COUNTS])
        ax.plot(GPU_COUNTS, 100 * slow, styles[i], color=f"C{i}", label=label)
        for n in (8, 64, 1024, 16384):
            j = int(np.where(n == GPU_COUNTS)[0][0])
            print(f"{label:40s} N={n:6d} expected slowdown {100 * slow[j]:6.2f}%")
        # Monte Carlo check at a few N with a fixed seed.
        for n in (64, 1024):
            if label.startswith("normal"):
                cv = float(label.split("CV ")[1].rstrip("%")) / 100
                draws = rng.normal(1.0, cv, size=(MC_TRIALS, n))
            else:
                outlier = rng.random(size=(MC_TRIALS, n)) < mix_p[label]
                mean = np.where(outlier, MIX_SLOW, 1.0)
                draws = mean + rng.normal(0.0, 1.0, size=(MC_TRIALS, n)) * MIX_CV * mean
            mc = draws.max(axis=1).mean() - 1.0
            ax.plot([n], [100 * mc], "o", color=f"C{i}", markersize=4)
            print(f"{label:40s} N={n:6d} Monte Carlo ({MC_TRIALS} trials) {100 * mc:6.2f}%")

    # Standard-normal constants used in the worked example.
    z_grid = np.linspace(-4.0, 8.0, 240_001)
    fn = normal_cdf(z_grid, 0.0, 1.0) ** 1024
    z_max = float(np.sum(0.5 * (z_grid[1:] + z_grid[:-1]) * np.diff(fn)) + z_grid[0] * fn[0])
    print(f"E[max of 1024 standard normals] = {z_max:.3f}; sqrt(2 ln 1024) = "
          f"{math.sqrt(2 * math.log(1024)):.3f}")
    # Expected range (max - min = 2 E[max]) of N standard normals, to read a fastest-to-slowest
    # spread as a coefficient of variation.
    for n in (100, 1000):
        fn_n = normal_cdf(z_grid, 0.0, 1.0) ** n
        e_n = float(np.sum(0.5 * (z_grid[1:] + z_grid[:-1]) * np.diff(fn_n)) + z_grid[0] * fn_n[0])
        print(f"N={n}: E[max] = {e_n:.3f}, expected range = {2 * e_n:.2f} sd; "
              f"an 8% range is a CV of {8 / (2 * e_n):.2f}%")
    print(f"throughput loss: {100 * (1 - 1 / (1 + 0.02 * z_max)):.2f}% from E[max], "
          f"{100 * (1 - 1 / (1 + 0.02 * math.sqrt(2 * math.log(1024)))):.2f}% from the bound (CV 2%)")
    for p in MIX_PS:
        print(f"p = {p:g}: N*p = {1024 * p:.3f}, P(at least one outlier among 1024) = "
              f"{1 - (1 - p) ** 1024:.3f}")

    ax.set_xscale("log", base=2)
    ax.set_xlabel("number of GPUs in the synchronous step, N")
    ax.set_ylabel("expected step time above one GPU's mean (%)")
    ax.set_title("Step time of the slowest of N GPUs (lines: exact, dots: simulation)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    save(fig, "gpu-power-variability-straggler", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: shorter axis labels and title, legend without the repeated "mixture:"."""
    ax = fig.axes[0]
    ax.set_xlabel("number of GPUs, N")
    ax.set_ylabel("step time above one GPU's mean (%)")
    ax.set_title("Slowest of N GPUs\n(lines: exact, dots: simulation)")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, [label.removeprefix("mixture: ") for label in labels], fontsize=7.5,
              frameon=False, loc="upper left", handlelength=1.6)


if __name__ == "__main__":
    main()
