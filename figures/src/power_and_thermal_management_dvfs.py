"""Time and energy per token under a power cap, from a simple DVFS model, for a compute-bound
prefill and a memory-bound decode step of Llama 3 8B on one H100 SXM.

Writes figures/power-and-thermal-management-dvfs.svg and prints the numbers quoted in
articles/power-and-thermal-management.md.

The power model and its assumed parameters (static power 175 W of the 700 W TDP, a voltage floor
at 60% of the maximum clock, SM activity 0.4 while waiting on memory) are defined and documented in
power_and_thermal_management_energy.py. Under a cap C the GPU runs at the highest relative clock x
in [0.2, 1] with P(x) <= C.
"""

from __future__ import annotations

import itertools

import numpy as np

import power_and_thermal_management_energy as energy_model
from _style import PALETTE, new_figure, save
from power_and_thermal_management_energy import BYTES, HBM_BW, LINEAR_PARAMS, P_DYN, P_STATIC, PEAK_FLOPS, step_parts
from power_and_thermal_management_energy import model_power as power

X = np.linspace(0.2, 1.0, 4001)


def under_cap(cap, tc, tm):
    """(relative time, relative energy, clock, power) at a cap, relative to no cap."""
    p, t = power(X, tc, tm)
    ok = p <= cap + 1e-9
    i = int(np.max(np.nonzero(ok))) if ok.any() else 0
    p0, t0 = p[-1], t[-1]
    return t[i] / t0, p[i] * t[i] / (p0 * t0), X[i], p[i]


def workloads():
    tc_dec, tm_dec = step_parts(64)
    tc_pre = 2 * LINEAR_PARAMS * 2048 / PEAK_FLOPS
    tm_pre = LINEAR_PARAMS * BYTES / HBM_BW  # one read of the weights; attention is left out
    return {"decode, batch 64 (memory-bound)": (tc_dec, tm_dec), "prefill, 2048 tokens (compute-bound)": (tc_pre, tm_pre)}


def sensitivity() -> None:
    """Sweep the assumed parameters; cap each case at 75% of decode's uncapped draw."""
    saved = (energy_model.P_STATIC, energy_model.P_DYN, energy_model.A_STALL, energy_model.V_FLOOR)
    dec, pre = workloads().values()
    slow_dec, slow_pre, e_pre, p_dec = [], [], [], []
    for ps, a0, vf in itertools.product((100.0, 175.0, 250.0), (0.2, 0.4, 0.7), (0.5, 0.6, 0.7)):
        energy_model.P_STATIC, energy_model.P_DYN, energy_model.A_STALL, energy_model.V_FLOOR = ps, energy_model.TDP - ps, a0, vf
        p0 = float(power(np.array([1.0]), *dec)[0][0])
        cap = 0.75 * p0
        slow_dec.append(under_cap(cap, *dec)[0])
        rt, re, _, _ = under_cap(cap, *pre)
        slow_pre.append(rt)
        e_pre.append(re)
        p_dec.append(p0)
    energy_model.P_STATIC, energy_model.P_DYN, energy_model.A_STALL, energy_model.V_FLOOR = saved
    print("sensitivity over P_s in {100,175,250} W, A_STALL in {0.2,0.4,0.7}, V_FLOOR in {0.5,0.6,0.7}:")
    print(f"  uncapped decode draw {min(p_dec):.0f}-{max(p_dec):.0f} W; at a cap of 75% of it: decode slowdown "
          f"{min(slow_dec):.2f}-{max(slow_dec):.2f}, prefill slowdown {min(slow_pre):.2f}-{max(slow_pre):.2f}, "
          f"prefill energy x{min(e_pre):.2f}-x{max(e_pre):.2f}")


def main() -> None:
    wl = workloads()
    for name, (tc, tm) in wl.items():
        p_uncapped = power(np.array([1.0]), tc, tm)[0][0]
        print(f"{name}: uncapped power {p_uncapped:.0f} W")
        for cap in (600, 500, 400, 300, 250):
            rt, re, x, p = under_cap(cap, tc, tm)
            print(f"  cap {cap} W: clock {x:.2f}, power {p:.0f} W, time x{rt:.2f}, energy x{re:.2f}")
        if name.startswith("decode"):
            rt, re, x, p = under_cap(300, tc, tm)
            tps = 64 / (max(tc / x, tm))
            print(f"  worked example at 300 W: {tps:.0f} tok/s, {p / tps:.4f} J/token, "
                  f"{p / tps * 1e6 / 3.6e6:.4f} kWh per million tokens, {p / tps * 1e6 / 3.6e6 * 1.2:.4f} with PUE 1.2, "
                  f"${p / tps * 1e6 / 3.6e6 * 1.2 * 0.10:.4f} per million at $0.10/kWh")
        caps = np.arange(250, 701, 5)
        energies = [under_cap(c, tc, tm)[1] for c in caps]
        k = int(np.argmin(energies))
        print(f"  minimum energy at cap {caps[k]} W: energy x{energies[k]:.2f}, time x{under_cap(caps[k], tc, tm)[0]:.2f}")
    sensitivity()
    # Analytic optimum without a voltage floor: x* = (P_s / (2 P_d))^(1/3).
    print(f"analytic energy-optimal clock without voltage floor: {(P_STATIC / (2 * P_DYN)) ** (1 / 3):.2f}")

    caps = np.arange(250, 701, 2)
    fig, (ax1, ax2) = new_figure(width=9.0, height=3.8, ncols=2)
    for color, (name, (tc, tm)) in zip(PALETTE, wl.items(), strict=False):
        res = np.array([under_cap(c, tc, tm) for c in caps])
        ax1.plot(caps, res[:, 0], color=color, label=name)
        ax2.plot(caps, res[:, 1], color=color, label=name)
    ax1.set_xlabel("power cap (W)")
    ax1.set_ylabel("time per token, relative to no cap")
    ax1.set_title("(a) slowdown")
    ax2.set_xlabel("power cap (W)")
    ax2.set_ylabel("energy per token, relative to no cap")
    ax2.set_title("(b) energy")
    ax1.invert_xaxis()
    ax2.invert_xaxis()
    ax1.legend(fontsize=8)
    save(fig, "power-and-thermal-management-dvfs")


if __name__ == "__main__":
    main()
