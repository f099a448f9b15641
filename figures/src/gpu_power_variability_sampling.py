"""Energy error when a power sensor averages only part of each update period.

Yang, Adamek and Armour (arXiv:2312.02741) report that on A100 and H100 GPUs the power
reading behind nvidia-smi covers only about 25% of the runtime. This script models such a
sensor as one reading per 100 ms that averages the first 25 ms of that period (the 100 ms
and 25 ms split is an illustrative assumption with the reported 25% coverage), and a sensor
that averages the full 100 ms for comparison.

The workload is a periodic training-like step (assumed): a compute phase at 650 W for 60% of
each period and a communication/idle phase at 250 W for the rest. For each workload period
and run length, the script draws 400 random phases (fixed seed) between workload and
sensor, estimates energy as mean(readings) * run length and reports the 95th percentile of
the absolute relative error against the exact energy. The grid of periods includes the exact
divisors and multiples of the 100 ms update, where the window sees the same few phases of
the workload in every reading and the error does not shrink with run length.

A second part (printed only, not plotted) checks whether locking matters for training-like
steps: 60 s runs at exact multiples of 100 ms from 0.2 to 5 s, with the 60% duty cycle and
with a 63% one (whose high-to-low edge does not fall on a multiple of 100 ms), and with the step length
jittered by a 2% coefficient of variation, redrawn every step (63% duty).

Nothing here models NVML's cumulative energy counter, whose accumulation NVIDIA does not
document; the dashed full-window sensor is a comparison, not a description of that counter.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

P_HIGH, P_LOW, DUTY = 650.0, 250.0, 0.60
UPDATE, WINDOW = 0.100, 0.025
# A log-spaced grid plus the periods that lock to the 100 ms update: its exact divisors
# (100/k ms) and multiples (200 ... 1000 ms). Near-miss grid points such as 50.1 or 199.5 ms
# drift slowly against the sensor, so their error still shrinks with run length.
LOCKED = np.array([UPDATE / k for k in range(1, 11)] + [UPDATE * m for m in range(2, 11)])
PERIODS = np.unique(np.concatenate([np.round(np.logspace(np.log10(0.010), np.log10(1.0), 81), 4), LOCKED]))
QUOTED = (0.020, 0.0501, 0.050, 0.100, 0.1334, 0.1995, 0.200, 0.300)
RUNS = [1.0, 10.0, 60.0]
PHASES = 400


def cumulative_energy(t: np.ndarray, period: float, duty: float = DUTY) -> np.ndarray:
    """Energy in joules from 0 to t of the square wave starting with its high phase."""
    cycles = np.floor(t / period)
    rem = t - cycles * period
    per_cycle = period * (duty * P_HIGH + (1 - duty) * P_LOW)
    high_t = duty * period
    partial = np.where(rem <= high_t, rem * P_HIGH, high_t * P_HIGH + (rem - high_t) * P_LOW)
    return cycles * per_cycle + partial


def error_p95(rng: np.random.Generator, period: float, run: float, window: float) -> float:
    errs = np.empty(PHASES)
    for k in range(PHASES):
        shift = rng.uniform(0, period)  # workload phase
        first = rng.uniform(0, UPDATE)  # sensor phase
        starts = np.arange(first, run - window, UPDATE)
        readings = (cumulative_energy(starts + window + shift, period) - cumulative_energy(starts + shift, period)) / window
        estimate = readings.mean() * run
        exact = float(cumulative_energy(np.array([run + shift]), period)[0] - cumulative_energy(np.array([shift]), period)[0])
        errs[k] = abs(estimate - exact) / exact
    return float(np.quantile(errs, 0.95))


def step_energy(t: np.ndarray, starts: np.ndarray, steps: np.ndarray, duty: float) -> np.ndarray:
    """Energy in joules from starts[0] to t of steps of the given lengths, each high first."""
    at_start = np.concatenate([[0.0], np.cumsum(steps * (duty * P_HIGH + (1 - duty) * P_LOW))])
    j = np.searchsorted(starts, t, side="right") - 1
    rem = t - starts[j]
    high_t = duty * steps[j]
    return at_start[j] + np.where(rem <= high_t, rem * P_HIGH, high_t * P_HIGH + (rem - high_t) * P_LOW)


def error_p95_steps(rng: np.random.Generator, period: float, run: float, duty: float,
                    jitter: float) -> float:
    """Like error_p95 with the 25 ms window, for steps whose length varies with CV `jitter`."""
    errs = np.empty(PHASES)
    for k in range(PHASES):
        steps = period * (1.0 + jitter * rng.standard_normal(int(run / period * 1.5) + 10))
        starts = np.concatenate([[0.0], np.cumsum(steps)]) - rng.uniform(0, period)
        first = rng.uniform(0, UPDATE)
        reads = np.arange(first, run - WINDOW, UPDATE)
        readings = (step_energy(reads + WINDOW, starts, steps, duty) - step_energy(reads, starts, steps, duty)) / WINDOW
        ends = step_energy(np.array([0.0, run]), starts, steps, duty)
        exact = float(ends[1] - ends[0])
        errs[k] = abs(readings.mean() * run - exact) / exact
    return float(np.quantile(errs, 0.95))


def long_periods() -> None:
    rng = np.random.default_rng(1)
    for period in (0.2, 0.5, 1.0, 2.0, 5.0):
        row = [error_p95_steps(rng, period, RUNS[-1], duty, jitter)
               for duty, jitter in ((0.60, 0.0), (0.63, 0.0), (0.63, 0.02))]
        print(f"coverage 25%  run={RUNS[-1]:5.1f}s period={1000 * period:7.1f} ms p95 |error|: "
              f"duty 60% {100 * row[0]:5.2f}%, duty 63% {100 * row[1]:5.2f}%, "
              f"duty 63% with 2% step jitter {100 * row[2]:5.2f}%")


def main() -> None:
    rng = np.random.default_rng(0)
    fig, ax = new_figure(width=7.0, height=4.2)
    for i, run in enumerate(RUNS):
        err = np.array([error_p95(rng, p, run, WINDOW) for p in PERIODS])
        ax.plot(1000 * PERIODS, 100 * err, color=f"C{i}",
                label=f"25 ms of every 100 ms, {run:g} s run")
        for p in QUOTED:
            j = int(np.argmin(np.abs(PERIODS - p)))
            print(f"coverage 25%  run={run:5.1f}s period={1000 * PERIODS[j]:7.2f} ms "
                  f"p95 |error| = {100 * err[j]:5.2f}%")
    full = np.array([error_p95(rng, p, RUNS[0], UPDATE) for p in PERIODS])
    ax.plot(1000 * PERIODS, 100 * full, "--", color="C3", label=f"full 100 ms average, {RUNS[0]:g} s run")
    for p in QUOTED:
        j = int(np.argmin(np.abs(PERIODS - p)))
        print(f"coverage 100% run={RUNS[0]:5.1f}s period={1000 * PERIODS[j]:7.2f} ms "
              f"p95 |error| = {100 * full[j]:5.2f}%")
    k = int(np.argmax(full))
    print(f"coverage 100% run={RUNS[0]:5.1f}s largest p95 |error| on the grid = {100 * full[k]:5.2f}% "
          f"at {1000 * PERIODS[k]:.1f} ms")
    ax.set_xscale("log")
    ax.set_xlabel("period of the workload's power pattern (ms)")
    ax.set_ylabel("95th percentile |energy error| (%)")
    ax.set_title("Energy error of a partially sampled power sensor")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=9, frameon=False, loc="upper left")
    save(fig, "gpu-power-variability-sampling")
    long_periods()


if __name__ == "__main__":
    main()
