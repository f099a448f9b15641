"""Per-token decode latency of Llama 3 70B on four GPUs as a function of the per-message latency
alpha of the link, tensor versus pipeline parallelism, at a fixed 32 GB/s per direction.

Writes figures/distributed-inference-small-gpus-latency.svg and prints the crossover point quoted
in articles/distributed-inference-small-gpus.md. The model and every input are those of
distributed_inference_small_gpus_bandwidth.py (batch 1, 2048-token context, L40S datasheet
figures, BF16 weights); only alpha varies here.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save
from distributed_inference_small_gpus_bandwidth import LAYERS, N_GPUS, decode_pp, decode_tp


def main() -> None:
    alphas = np.logspace(-6, -1, 400)  # 1 us to 100 ms
    tp = np.array([decode_tp(1, alpha=a)[0] for a in alphas])
    pp = np.array([decode_pp(1, alpha=a)[0] for a in alphas])
    cross = alphas[np.argmax(tp > pp)]
    print(f"messages on the critical path per token: TP4 {2 * LAYERS * 2 * (N_GPUS - 1)}, PP4 {N_GPUS}")
    print(f"crossover alpha: {cross * 1e6:.0f} us (PP4 faster above)")
    for a in (1e-6, 10e-6, 100e-6, 1e-3, 10e-3, 50e-3):
        print(f"alpha {a * 1e3:7.3f} ms: TP4 {decode_tp(1, alpha=a)[0] * 1e3:8.1f} ms, PP4 {decode_pp(1, alpha=a)[0] * 1e3:7.1f} ms")

    fig, ax = new_figure(width=7.0, height=3.8)
    ax.plot(alphas * 1e6, tp * 1e3, color=PALETTE[0], label="TP=4 (960 messages per token)")
    ax.plot(alphas * 1e6, pp * 1e3, color=PALETTE[0], linestyle="--", label="PP=4 (4 messages per token)")
    ax.axvline(cross * 1e6, color="#777777", linewidth=0.8, linestyle=":")
    ax.annotate(f"crossover at {cross * 1e6:.0f} µs", xy=(cross * 1e6, float(np.interp(cross, alphas, pp)) * 1e3),
                xytext=(8, 40), textcoords="offset points", fontsize=9, arrowprops={"arrowstyle": "->", "color": "#555555"})
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("per-message latency α (µs)")
    ax.set_ylabel("time per output token (ms)")
    ax.set_title("Llama 3 70B, BF16, batch 1, 4 GPUs at 32 GB/s per direction")
    ax.legend(fontsize=9, loc="upper left")
    save(fig, "distributed-inference-small-gpus-latency")


if __name__ == "__main__":
    main()
