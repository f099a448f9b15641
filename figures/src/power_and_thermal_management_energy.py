"""Energy per output token from a stated board power and a throughput, for Llama 3 8B decode on
one H100 SXM, as a function of batch size.

Writes figures/power-and-thermal-management-energy.svg and prints the numbers quoted in
articles/power-and-thermal-management.md.

Energy per token is E = P / throughput. Both are parameters:
- Board power P is held at stated values (300, 500 and 700 W; 700 W is the H100 SXM's maximum
  configurable TDP on its datasheet). Real board power rises with batch size; the three curves
  bracket it rather than predict it.
- A fourth curve uses the modeled board power of the DVFS model below, uncapped.
- Throughput comes from the roofline model of articles/batching.md: Llama 3 8B shapes (32 layers,
  d_model 4096, 32 query and 8 KV heads of dimension 128, FFN 14336, vocabulary 128256, untied
  embeddings), BF16 weights and KV cache, 989 TFLOP/s dense BF16 and 3.35 TB/s HBM3 (H100 SXM
  datasheet), every kernel at peak: step time = max(FLOPs / peak, bytes / bandwidth) for the
  linear layers plus the same for attention. Context 2048 tokens per sequence.

DVFS power model (illustrative; used here and by power_and_thermal_management_dvfs.py):
- Board power P(x) = P_s + P_d * a(x) * x * v(x)^2, with x = f / f_max the relative SM clock and
  v(x) = max(V_FLOOR, x) the relative voltage (voltage tracks frequency above a floor). This is the
  CMOS dynamic-power relation P_dyn ~ C V^2 f with a static term.
- P_s + P_d = 700 W, the H100 SXM's maximum TDP (datasheet). P_s = 175 W (assumed, 25% of TDP).
- V_FLOOR = 0.6 (assumed): below 60% of the maximum clock the voltage cannot fall further.
- Activity a(x) = A_STALL + (1 - A_STALL) * u(x), where u(x) is the fraction of the step during
  which the SMs compute; A_STALL = 0.4 (assumed) is the activity of SMs waiting on memory.
- Step time t(x) = max(t_c / x, t_m): compute slows with the clock, HBM bandwidth does not.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

# Llama 3 8B
LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256
BYTES = 2
# H100 SXM datasheet
PEAK_FLOPS, HBM_BW, HBM_BYTES, TDP = 989e12, 3.35e12, 80e9, 700.0

LINEAR_PARAMS = LAYERS * (2 * D_MODEL * N_HEADS * D_HEAD + 2 * D_MODEL * N_KV * D_HEAD + 3 * D_MODEL * D_FFN) + VOCAB * D_MODEL
TOTAL_PARAMS = LINEAR_PARAMS + VOCAB * D_MODEL
KV_PER_TOKEN = 2 * LAYERS * N_KV * D_HEAD * BYTES
CONTEXT = 2048


def step_parts(batch, context=CONTEXT):
    """(compute time at full clock, memory time) of one decode step, in seconds."""
    flops = 2 * LINEAR_PARAMS * batch + 4 * LAYERS * N_HEADS * D_HEAD * context * batch
    nbytes = LINEAR_PARAMS * BYTES + KV_PER_TOKEN * context * batch
    return flops / PEAK_FLOPS, nbytes / HBM_BW


def step_time(batch, context=CONTEXT):
    lin = np.maximum(2 * LINEAR_PARAMS * batch / PEAK_FLOPS, LINEAR_PARAMS * BYTES / HBM_BW)
    attn_flops = 4 * LAYERS * N_HEADS * D_HEAD * context * batch
    attn = np.maximum(attn_flops / PEAK_FLOPS, KV_PER_TOKEN * context * batch / HBM_BW)
    return lin + attn


def throughput(batch, context=CONTEXT):
    return batch / step_time(batch, context)


def max_batch(context=CONTEXT) -> int:
    return int((HBM_BYTES - TOTAL_PARAMS * BYTES) // (KV_PER_TOKEN * context))


P_STATIC = 175.0  # assumed
P_DYN = TDP - P_STATIC
V_FLOOR = 0.6  # assumed
A_STALL = 0.4  # assumed


def model_power(x, tc, tm):
    """(board power in W, step time in s) at relative clock x for compute time tc and memory time tm."""
    t = np.maximum(tc / x, tm)
    u = (tc / x) / t
    v = np.maximum(V_FLOOR, x)
    return P_STATIC + P_DYN * (A_STALL + (1 - A_STALL) * u) * x * v**2, t


def main() -> None:
    bmax = max_batch()
    print(f"max batch at context {CONTEXT}: {bmax}")
    for b in (1, 8, 64, bmax):
        tps = float(throughput(np.array([b]))[0])
        e = {p: p / tps for p in (300, 500, 700)}
        print(f"B={b:3d}: {tps:8.0f} tok/s; J/token at 300/500/700 W: {e[300]:.3f} / {e[500]:.3f} / {e[700]:.3f}")
    t1 = float(throughput(np.array([1]))[0])
    t64 = float(throughput(np.array([64]))[0])
    print(f"energy ratio B=1 vs B=64 at equal power: {t64 / t1:.1f}")
    e700 = TDP / t64
    print(f"B=64 at the full 700 W TDP (upper bound): {e700:.4f} J/token")
    for b in (1, 64):
        tc, tm = step_parts(b)
        p_model = float(model_power(1.0, tc, tm)[0])
        tps = float(throughput(np.array([b]))[0])
        print(f"B={b}: modeled uncapped board power {p_model:.0f} W -> {p_model / tps:.4f} J/token, "
              f"{p_model / tps * 1e6 / 3.6e6:.4f} kWh per million tokens, {p_model / tps * 1e6 / 3.6e6 * 1.2:.4f} with PUE 1.2")
    tc, tm = step_parts(64)
    print(f"B=64 compute time at full clock {tc * 1e3:.2f} ms, memory time {tm * 1e3:.2f} ms, ratio {tc / tm:.3f}")
    tcp = 2 * LINEAR_PARAMS * 2048 / PEAK_FLOPS
    print(f"prefill 2048 tokens (linear layers only): compute {tcp * 1e3:.1f} ms vs weight read {LINEAR_PARAMS * BYTES / HBM_BW * 1e3:.2f} ms")

    b = np.arange(1, bmax + 1)
    fig, ax = new_figure(width=7.0, height=4.0)
    for color, p in zip(PALETTE, (700, 500, 300), strict=False):
        ax.plot(b, p / throughput(b), color=color, label=f"board power {p} W")
    parts = [step_parts(int(k)) for k in b]
    p_model = np.array([model_power(1.0, tc, tm)[0] for tc, tm in parts])
    ax.plot(b, p_model / throughput(b), color=PALETTE[3], linestyle="--", label="modeled board power (DVFS model, no cap)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("decode batch size (sequences)")
    ax.set_ylabel("energy per output token (J)")
    ax.set_title("Llama 3 8B, BF16, one H100 SXM, 2048-token context")
    ax.legend(fontsize=9)
    save(fig, "power-and-thermal-management-energy")


if __name__ == "__main__":
    main()
