"""Energy per output token against batch size for Llama 3.1 8B decode on one H100 SXM, from a DVFS
power model calibrated to two power measurements, and the power model itself.

Writes figures/power-and-thermal-management-energy.svg and prints the numbers quoted in
articles/power-and-thermal-management.md.

Throughput (roofline model of articles/batching.md): Llama 3 8B shapes (32 layers, d_model 4096,
32 query and 8 KV heads of dimension 128, FFN 14336, vocabulary 128256, untied embeddings), BF16
weights and KV cache, 3.35 TB/s HBM3 (H100 SXM datasheet), every kernel at peak; context 2048 tokens
per sequence. One decode step needs compute time t_c (all FLOPs at the tensor-core peak) and memory
time t_m (all bytes at peak bandwidth). Prefill counts the linear layers and causal attention.

Compute peak and the SM clock: the datasheet's 989 TFLOP/s dense BF16 is 132 SMs x 4096 FLOP per
clock x 1830 MHz, the tensor-core rate at 1830 MHz, not at the 1980 MHz maximum SM clock. The
model scales compute with the clock, 132 x 4096 x f, so t_c below is the time at 1980 MHz
(1070 TFLOP/s). The measured GEMM then reaches 92% of the clock-scaled peak at its measured clock.

Measured inputs are read from the repository's GPU results file (figures/measured/, measurements
page: power and clocks; decode step), not typed in. Measured decode steps of a model with these
shapes take 1.17-1.35x the roofline floor; the figure shows that range as a band.

DVFS power model (used here and by power_and_thermal_management_dvfs.py):
- x = f / f_max is the SM clock relative to its 1980 MHz maximum. Relative voltage
  v(x) = V0 + (1 - V0) * max(x, X_FLOOR): above the floor X_FLOOR, voltage rises linearly with the
  clock with intercept V0 (V0 = 0 is voltage proportional to frequency, the cube law); below the
  floor it stays constant. Both are modelling choices, not a measured V-f curve.
- Step time t(x) = max(t_c / x, t_m): compute slows with the SM clock, HBM bandwidth does not.
- Board power P(x) = P_S + P_D * a(x) * x * v(x)^2. P_S is everything that does not scale with the
  SM clock (leakage, HBM, the rest of the board); the second term is the CMOS relation C V^2 f for
  the SMs, with activity a(x) = A_STALL + (1 - A_STALL) * u(x), where u(x) is the fraction of the
  step during which the SMs compute and A_STALL the activity of SMs waiting on memory.
- Calibration: two points measured on one H100 SXM (700 W limit, 2026-11-28) fix P_D and A_STALL
  once P_S, X_FLOOR and V0 are chosen:
    a compute-bound 8192^3 BF16 GEMM (u = 1) settles at the 700 W limit (698 W measured) with the
    SM clock at a median 1350 MHz, x = 0.68;
    a memory-bound batch-1 BF16 GEMV (u = 3.35 TB/s / 1071 TFLOP/s, about 0.003, from the roofline)
    draws 511 W at the full 1980 MHz.
  Both use random-normal operands; operand values change GEMM power, so P_D carries that
  uncertainty.
- Assumed: P_S = 175 W, X_FLOOR = 0.6, V0 = 0. The sensitivity sweep in the DVFS script moves P_S
  over 121 W (the measured idle power, a lower bound) to 350 W, X_FLOOR over 0.5 to 0.7 and V0 over
  0 to 0.4.
- A power limit C holds the clock at the highest x in [0.2, 1] with P(x) <= C. If even x = 0.2
  draws more than C, the cap is infeasible in the model and is reported as such, never silently
  replaced by the clock floor.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from _measured import measured_table, number
from _style import PALETTE, new_figure, save

# Llama 3 8B
LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256
BYTES = 2
# H100 SXM: datasheet dense BF16 rate and HBM3 bandwidth; 132 SMs (measurements page)
PEAK_FLOPS, HBM_BW, HBM_BYTES, TDP = 989e12, 3.35e12, 80e9, 700.0
SMS, FLOP_PER_CLK_SM = 132, 4096
F_MAX_MHZ = 1980.0
F_PEAK_MHZ = PEAK_FLOPS / (SMS * FLOP_PER_CLK_SM) / 1e6  # the clock the datasheet rate assumes
FLOPS_FMAX = SMS * FLOP_PER_CLK_SM * F_MAX_MHZ * 1e6  # tensor-core peak at the maximum SM clock

LINEAR_PARAMS = LAYERS * (2 * D_MODEL * N_HEADS * D_HEAD + 2 * D_MODEL * N_KV * D_HEAD + 3 * D_MODEL * D_FFN) + VOCAB * D_MODEL
TOTAL_PARAMS = LINEAR_PARAMS + VOCAB * D_MODEL
KV_PER_TOKEN = 2 * LAYERS * N_KV * D_HEAD * BYTES
CONTEXT = 2048

# Measured on one H100 SXM, 2026-11-28: read from figures/measured/ (measurements page, power and clocks).
_POWER = {r["workload"].split(",")[0]: r for r in measured_table("power_clocks")}
_GEMM = next(r for k, r in _POWER.items() if "GEMM" in k)
_GEMV = next(r for k, r in _POWER.items() if "GEMV" in k)
GEMM_WATTS, GEMM_MHZ, GEMM_TFLOPS = number(_GEMM["mean W (energy counter)"]), number(_GEMM["SM clock median MHz"]), number(_GEMM["result"])
GEMV_WATTS = number(_GEMV["mean W (energy counter)"])
IDLE_WATTS = number(_POWER["idle"]["mean W (energy counter)"])
GEMV_U = HBM_BW / FLOPS_FMAX  # compute fraction of a BF16 GEMV at full clock: 2 FLOPs per 2 bytes
# Measured decode step / roofline floor (measurements page, decode step).
_RATIOS = [number(r["measured ms"]) / number(r["roofline ms"]) for r in measured_table("decode_step")]
STEP_FACTOR = (round(min(_RATIOS), 2), round(max(_RATIOS), 2))
# ML.ENERGY, Llama 3.1 8B on H100, max_num_seqs 64, vLLM 0.11.1: energy per output token (J), rounded.
MLENERGY_B64 = 0.12

X = np.linspace(0.2, 1.0, 8001)


@dataclass(frozen=True)
class Params:
    p_s: float  # W, power that does not scale with the SM clock (assumed)
    v_floor: float  # relative clock below which voltage stops falling (assumed)
    v0: float  # intercept of the linear V-f curve above the floor (assumed)
    p_d: float  # W, SM dynamic power at full clock, voltage and activity (fitted)
    a_stall: float  # activity of SMs waiting on memory (fitted)


def voltage(x, v_floor: float, v0: float):
    return v0 + (1 - v0) * np.maximum(x, v_floor)


def calibrate(p_s: float = 175.0, v_floor: float = 0.6, v0: float = 0.0) -> Params:
    """Fit P_D to the compute-bound GEMM point and A_STALL to the memory-bound GEMV point."""
    x = GEMM_MHZ / F_MAX_MHZ
    p_d = (GEMM_WATTS - p_s) / (x * voltage(x, v_floor, v0) ** 2)
    a_stall = ((GEMV_WATTS - p_s) / p_d - GEMV_U) / (1 - GEMV_U)
    return Params(p_s, v_floor, v0, p_d, a_stall)


BASE = calibrate()


def step_parts(batch, context=CONTEXT):
    """(compute time at the maximum clock, memory time) of one decode step, in seconds."""
    flops = 2 * LINEAR_PARAMS * batch + 4 * LAYERS * N_HEADS * D_HEAD * context * batch
    nbytes = LINEAR_PARAMS * BYTES + KV_PER_TOKEN * context * batch
    return flops / FLOPS_FMAX, nbytes / HBM_BW


def prefill_flops(tokens=2048):
    """(linear-layer FLOPs, causal-attention FLOPs) of a prefill."""
    return 2 * LINEAR_PARAMS * tokens, 4 * LAYERS * N_HEADS * D_HEAD * tokens * tokens / 2


def prefill_parts(tokens=2048):
    """(compute time at the maximum clock, memory time) of a prefill: linear layers and causal attention, one read of the weights."""
    return sum(prefill_flops(tokens)) / FLOPS_FMAX, LINEAR_PARAMS * BYTES / HBM_BW


def max_batch(context=CONTEXT) -> int:
    return int((HBM_BYTES - TOTAL_PARAMS * BYTES) // (KV_PER_TOKEN * context))


def model_power(x, tc, tm, p: Params = BASE):
    """(board power in W, step time in s) at relative clock x for compute time tc and memory time tm."""
    t = np.maximum(tc / x, tm)
    u = (tc / x) / t
    v = voltage(x, p.v_floor, p.v0)
    return p.p_s + p.p_d * (p.a_stall + (1 - p.a_stall) * u) * x * v**2, t


def at_cap(cap, tc, tm, p: Params = BASE):
    """(clock x, step time, power) under a power limit, or None if the model cannot get under it."""
    pw, t = model_power(X, tc, tm, p)
    ok = pw <= cap + 1e-9
    if not ok.any():
        return None
    i = int(np.max(np.nonzero(ok)))
    return float(X[i]), float(t[i]), float(pw[i])


def main() -> None:
    p = BASE
    print(f"calibrated: P_S {p.p_s:.0f} W, V_FLOOR {p.v_floor}, V0 {p.v0} (assumed); P_D {p.p_d:.0f} W, A_STALL {p.a_stall:.3f} (fitted)")
    x_gemm = GEMM_MHZ / F_MAX_MHZ
    print(
        f"compute peak: datasheet {PEAK_FLOPS / 1e12:.0f} TFLOP/s = {SMS} SMs x {FLOP_PER_CLK_SM} FLOP/clock x {round(F_PEAK_MHZ, -1):.0f} MHz; "
        f"{FLOPS_FMAX / 1e12:.0f} TFLOP/s at {F_MAX_MHZ:.0f} MHz; at the measured GEMM clock {GEMM_MHZ:.0f} MHz (x = {x_gemm:.2f}) "
        f"{FLOPS_FMAX * x_gemm / 1e12:.0f} TFLOP/s, measured {GEMM_TFLOPS:.0f} = {GEMM_TFLOPS * 1e12 / (FLOPS_FMAX * x_gemm):.0%}"
    )
    bmax = max_batch()
    print(f"max batch at context {CONTEXT}: {bmax}")
    rows = {}
    for b in (1, 8, 64, bmax):
        tc, tm = step_parts(b)
        x, t, pw = at_cap(TDP, tc, tm)
        tps = b / t
        rows[b] = (tps, pw)
        print(
            f"B={b:3d}: clock {x:.2f}, {tps:7.0f} tok/s at roofline, modeled {pw:.0f} W -> {pw / tps:.4f} J/token; "
            f"with measured step factor {STEP_FACTOR[0]}-{STEP_FACTOR[1]}: "
            f"{pw / tps * STEP_FACTOR[0]:.3f}-{pw / tps * STEP_FACTOR[1]:.3f} J/token"
        )
    e1, e64 = rows[1][1] / rows[1][0], rows[64][1] / rows[64][0]
    print(f"energy per token batch 1 / batch 64: {e1 / e64:.1f} (throughput ratio {rows[64][0] / rows[1][0]:.1f}, power ratio {rows[64][1] / rows[1][1]:.2f})")
    print(f"B=64 at the full 700 W (upper bound): {TDP / rows[64][0]:.4f} J/token")
    tps, p64 = rows[64]
    lo, hi = (MLENERGY_B64 - 0.005) * tps / STEP_FACTOR[1], (MLENERGY_B64 + 0.005) * tps / STEP_FACTOR[0]
    print(
        f"ML.ENERGY {MLENERGY_B64} J (0.115-0.125 rounded) at roofline speed / {STEP_FACTOR[0]}-{STEP_FACTOR[1]}: "
        f"consistent with {lo:.0f}-{hi:.0f} W; a flat 700 W gives {TDP / tps * STEP_FACTOR[0]:.3f}-{TDP / tps * STEP_FACTOR[1]:.3f} J"
    )
    for label, watts in (("default 700 W limit", p64), ("400 W cap", 400.0)):
        j = watts / tps
        kwh = j * 1e6 / 3.6e6
        print(
            f"worked example, {label}: {watts:.0f} W, {j:.4f} J/token, {kwh:.4f} kWh per million tokens at the GPU, "
            f"{kwh * 1.2:.4f} with PUE 1.2, ${kwh * 1.2 * 0.10:.4f} at $0.10/kWh"
        )
    tc, tm = step_parts(64)
    x, t, _ = at_cap(400.0, tc, tm)
    print(f"B=64 at 400 W: clock {x:.2f}, compute {tc / x * 1e3:.2f} ms vs memory {tm * 1e3:.2f} ms")
    print(
        f"B=64 compute time at {F_MAX_MHZ:.0f} MHz {tc * 1e3:.2f} ms (at {PEAK_FLOPS / 1e12:.0f} TFLOP/s {tc * FLOPS_FMAX / PEAK_FLOPS * 1e3:.2f} ms), memory {tm * 1e3:.2f} ms"
    )
    for f in STEP_FACTOR:
        e = f - 1
        slow = (1 + e / x) / (1 + e)
        print(
            f"  if the measured excess over the floor ({e:.2f}) scaled with 1/clock: step x{slow:.3f} at 400 W, "
            f"energy x{400 / p64 * slow:.2f} (saves {1 - 400 / p64 * slow:.0%})"
        )
    lin, attn = prefill_flops()
    tcp, tmp = prefill_parts()
    print(
        f"prefill 2048 tokens at {PEAK_FLOPS / 1e12:.0f} TFLOP/s: linear layers {lin / PEAK_FLOPS * 1e3:.1f} ms, causal attention "
        f"{attn / PEAK_FLOPS * 1e3:.1f} ms; at {F_MAX_MHZ:.0f} MHz {tcp * 1e3:.1f} ms vs weight read {tmp * 1e3:.2f} ms"
    )

    b = np.arange(1, bmax + 1)
    parts = [step_parts(int(k)) for k in b]
    fig, ax = new_figure(width=7.0, height=4.0)
    for color, cap, label in ((PALETTE[0], TDP, "default 700 W limit"), (PALETTE[1], 400.0, "400 W cap")):
        res = np.array([at_cap(cap, tc, tm) for tc, tm in parts])
        e = res[:, 2] * res[:, 1] / b
        ax.plot(b, e, color=color, label=f"modeled power, {label}, roofline speed")
        if cap == TDP:
            ax.fill_between(
                b,
                e * STEP_FACTOR[0],
                e * STEP_FACTOR[1],
                color=color,
                alpha=0.2,
                linewidth=0,
                label=f"same, at measured decode speed ({STEP_FACTOR[0]}-{STEP_FACTOR[1]}x slower steps)",
            )
    ax.plot([64], [MLENERGY_B64], "D", color=PALETTE[6], label="measured, Llama 3.1 8B, vLLM 0.11.1, batch limit 64 (ML.ENERGY)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("decode batch size (sequences)")
    ax.set_ylabel("energy per output token (J)")
    ax.set_title("Llama 3 8B, BF16, one H100 SXM, 2048-token context")
    ax.legend(fontsize=8)
    save(fig, "power-and-thermal-management-energy", phone=phone_layout)


def phone_layout(fig) -> None:
    """Phone layout: the legend below the axes, its long labels wrapped."""
    (ax,) = fig.axes
    fig.set_size_inches(4.0, 5.6)
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles, [textwrap.fill(label, 46) for label in labels], fontsize=8, frameon=False,
              loc="upper center", bbox_to_anchor=(0.5, -0.2))


if __name__ == "__main__":
    main()
