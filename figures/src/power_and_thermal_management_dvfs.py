"""Time and energy per token under a power cap, from the calibrated DVFS model, for a compute-bound
prefill and a memory-bound decode step of Llama 3 8B on one H100 SXM.

Writes figures/power-and-thermal-management-dvfs.svg and prints the numbers quoted in
articles/power-and-thermal-management.md.

The power model, its two measured calibration points and its assumed parameters (P_S = 175 W of
power that does not follow the SM clock, a voltage floor at 60% of the maximum clock, voltage
proportional to the clock above it) are defined and documented in
power_and_thermal_management_energy.py. Everything here is relative to the default 700 W limit,
which already holds a compute-bound GEMM at 68% of the maximum clock.

Sensitivity: the sweep moves the three assumed parameters over P_S in {121, 175, 250, 350} W
(121 W is the measured idle power), V_FLOOR in {0.5, 0.6, 0.7} and the intercept of the V-f line
V0 in {0, 0.2, 0.4} (36 sets), refitting P_D and A_STALL to the same measurements each time. A cap
that a parameter set cannot reach at the lowest modeled clock is counted as infeasible and left out
of the ranges, never replaced by the clock floor.
"""

from __future__ import annotations

import itertools

import numpy as np

from _style import PALETTE, new_figure, save
from power_and_thermal_management_energy import BASE, TDP, Params, at_cap, calibrate, prefill_parts, step_parts

P_S_GRID = (121.0, 175.0, 250.0, 350.0)
V_FLOOR_GRID = (0.5, 0.6, 0.7)
V0_GRID = (0.0, 0.2, 0.4)
CAPS = (600, 500, 400, 300, 250)


def workloads():
    return {"decode, batch 64 (memory-bound)": step_parts(64), "prefill, 2048 tokens (compute-bound)": prefill_parts()}


def relative(cap, tc, tm, p: Params = BASE):
    """(relative time, relative energy, clock, power) at a cap, relative to the default 700 W limit; None if infeasible."""
    base, capped = at_cap(TDP, tc, tm, p), at_cap(cap, tc, tm, p)
    if capped is None:
        return None
    _, t0, p0 = base
    x, t, pw = capped
    return t / t0, pw * t / (p0 * t0), x, pw


def grid():
    return [calibrate(ps, vf, v0) for ps, vf, v0 in itertools.product(P_S_GRID, V_FLOOR_GRID, V0_GRID)]


def sensitivity() -> None:
    params = grid()
    print(f"sensitivity over P_S in {P_S_GRID} W, V_FLOOR in {V_FLOOR_GRID} and V0 in {V0_GRID} ({len(params)} sets):")
    dec, pre = workloads().values()
    draws = [at_cap(TDP, *dec, p)[2] for p in params]
    print(
        f"  decode batch 64 draw at the 700 W limit: {min(draws):.0f}-{max(draws):.0f} W; "
        f"A_STALL {min(p.a_stall for p in params):.2f}-{max(p.a_stall for p in params):.2f}, P_D {min(p.p_d for p in params):.0f}-{max(p.p_d for p in params):.0f} W"
    )
    for cap in (500, 400, 300):
        rd = [relative(cap, *dec, p) for p in params]
        rp = [relative(cap, *pre, p) for p in params]
        fd = [r for r in rd if r is not None]
        fp = [r for r in rp if r is not None]
        gain = [r for p, r in zip(params, rp, strict=True) if r is not None and r[1] < 1]
        print(
            f"  cap {cap} W: decode feasible {len(fd)}/{len(params)}, slowdown {min(r[0] for r in fd):.2f}-"
            f"{max(r[0] for r in fd):.2f}, energy x{min(r[1] for r in fd):.2f}-x{max(r[1] for r in fd):.2f}; "
            f"prefill feasible {len(fp)}/{len(params)}, slowdown {min(r[0] for r in fp):.2f}-{max(r[0] for r in fp):.2f}, "
            f"energy x{min(r[1] for r in fp):.2f}-x{max(r[1] for r in fp):.2f}, saves energy in {len(gain)}"
        )
    for vf, v0 in itertools.product(V_FLOOR_GRID, V0_GRID):
        e = [relative(400, *pre, calibrate(ps, vf, v0)) for ps in P_S_GRID]
        print(f"  prefill at 400 W with V_FLOOR {vf}, V0 {v0}: energy " + ", ".join("infeasible" if r is None else f"x{r[1]:.2f}" for r in e))
    for label, sel in (("V0 = 0 only", lambda p: p.v0 == 0.0), ("all", lambda p: True)):
        for cap in (500, 400):
            dd = [r for r in (relative(cap, *dec, p) for p in params if sel(p)) if r is not None]
            pp = [r for r in (relative(cap, *pre, p) for p in params if sel(p)) if r is not None]
            print(
                f"  {label}, cap {cap} W: decode saves {1 - max(r[1] for r in dd):.0%}-{1 - min(r[1] for r in dd):.0%} ({len(dd)} sets); "
                f"prefill slowdown {min(r[0] for r in pp):.2f}-{max(r[0] for r in pp):.2f}, energy x{min(r[1] for r in pp):.2f}-x{max(r[1] for r in pp):.2f} ({len(pp)} sets)"
            )


def main() -> None:
    wl = workloads()
    for name, (tc, tm) in wl.items():
        x0, _, p0 = at_cap(TDP, tc, tm)
        print(f"{name}: at the 700 W limit clock {x0:.2f}, power {p0:.0f} W")
        for cap in CAPS:
            r = relative(cap, tc, tm)
            if r is None:
                print(f"  cap {cap} W: infeasible")
                continue
            rt, re, x, p = r
            print(f"  cap {cap} W: clock {x:.2f}, power {p:.0f} W, time x{rt:.2f}, energy x{re:.2f}")
        caps = np.arange(250, 701, 5)
        res = [(c, relative(c, tc, tm)) for c in caps]
        c, r = min(((c, r) for c, r in res if r is not None), key=lambda cr: cr[1][1])
        print(f"  minimum energy at cap {c} W: energy x{r[1]:.2f}, time x{r[0]:.2f}")
    sensitivity()

    caps = np.arange(250, 701, 2)
    params = grid()
    fig, (ax1, ax2) = new_figure(width=9.0, height=3.8, ncols=2)
    for color, (name, (tc, tm)) in zip(PALETTE, wl.items(), strict=False):
        base = np.array([relative(c, tc, tm) or (np.nan,) * 4 for c in caps], dtype=float)
        # The band spans all parameter sets, so it stops at the highest cap that some set cannot reach.
        band = [[relative(c, tc, tm, p) for p in params] for c in caps]
        band = [rs if all(r is not None for r in rs) else [None] for rs in band]
        lo_t = np.array([min((r[0] for r in rs if r is not None), default=np.nan) for rs in band])
        hi_t = np.array([max((r[0] for r in rs if r is not None), default=np.nan) for rs in band])
        lo_e = np.array([min((r[1] for r in rs if r is not None), default=np.nan) for rs in band])
        hi_e = np.array([max((r[1] for r in rs if r is not None), default=np.nan) for rs in band])
        ax1.plot(caps, base[:, 0], color=color, label=name)
        ax1.fill_between(caps, lo_t, hi_t, color=color, alpha=0.2, linewidth=0)
        ax2.plot(caps, base[:, 1], color=color, label=name)
        ax2.fill_between(caps, lo_e, hi_e, color=color, alpha=0.2, linewidth=0)
    ax1.set_xlabel("power cap (W)")
    ax1.set_ylabel("time per token, relative to 700 W")
    ax1.set_title("(a) slowdown")
    ax2.set_xlabel("power cap (W)")
    ax2.set_ylabel("energy per token, relative to 700 W")
    ax2.set_title("(b) energy")
    ax1.invert_xaxis()
    ax2.invert_xaxis()
    ax1.legend(fontsize=8)
    save(fig, "power-and-thermal-management-dvfs")


if __name__ == "__main__":
    main()
