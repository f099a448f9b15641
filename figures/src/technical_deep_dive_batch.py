"""Decode batch size against per-token latency and throughput for Llama 3 8B on one H100 SXM.

Roofline lower bound per decode step, as on the page: the dense layers and attention run one
after the other, each bounded by max(FLOPs / peak, HBM bytes / bandwidth), and the two bounds
are added. BF16 weights and KV cache, every sequence holding `context` cached tokens,
activations ignored. A dashed curve shows the looser bound of one max over the whole step
(weight reads and cache reads overlapping perfectly) where it differs, at the shortest context.
Hardware parameters from the NVIDIA H100 SXM datasheet (989 TFLOP/s dense BF16, 3.35 TB/s);
capacity 81,559 MiB (85.5 GB), what an H100 80GB reports to nvidia-smi (NVIDIA's MIG user guide),
as on the page and the site's KV cache article. Model shape from the Llama 3 paper, Table 3
(d_ff and vocabulary from the released config.json). Curves stop at the largest batch whose
KV cache fits in the HBM left after the weights.

Writes figures/technical-deep-dive-batch.svg.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

PEAK_FLOPS, HBM_BW, HBM, BF16 = 989e12, 3.35e12, 81559 * 2**20, 2
L, D, HEADS, KV_HEADS, HD, D_FF, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256  # Llama 3 8B

D_ATTN = HEADS * HD
MATMUL = L * (D * D_ATTN + 2 * D * KV_HEADS * HD + D_ATTN * D + 3 * D * D_FF) + VOCAB * D
TOTAL = MATMUL + L * 2 * D + D + VOCAB * D
KV_BYTES = 2 * L * KV_HEADS * HD * BF16


def step_time(batch: np.ndarray, context: int, one_max: bool = False) -> np.ndarray:
    dense = (batch * 2 * MATMUL, BF16 * MATMUL)
    attn = (batch * 4 * L * context * D_ATTN, batch * context * KV_BYTES)
    if one_max:  # the looser bound: one max over the whole step
        return np.maximum((dense[0] + attn[0]) / PEAK_FLOPS, (dense[1] + attn[1]) / HBM_BW)
    return sum(np.maximum(f / PEAK_FLOPS, b / HBM_BW) for f, b in (dense, attn))


def main() -> None:
    fig, (ax_lat, ax_tps) = new_figure(10.0, 4.0, ncols=2)
    for color, context in zip(PALETTE[:3], (512, 2048, 8192), strict=True):
        top = int((HBM - BF16 * TOTAL) // (context * KV_BYTES))
        batch = np.unique(np.round(np.logspace(0, np.log10(top), 60)).astype(int))
        t = step_time(batch, context)
        ax_lat.plot(batch, t * 1e3, color=color, label=f"context {context} (max batch {top})")
        ax_tps.plot(batch, batch / t, color=color)
        print(f"context {context}: max batch {top}, {batch[-1] / t[-1]:.0f} tokens/s at the max")
        loose = step_time(batch, context, one_max=True)
        if context == 512:
            shown = slice(max(int(np.argmax(loose < t)) - 1, 0), None)  # where the two part
            label = "context 512, one max over the whole step"
            ax_lat.plot(batch[shown], loose[shown] * 1e3, color=color, ls="--", lw=1.2, label=label)
            ax_tps.plot(batch[shown], batch[shown] / loose[shown], color=color, ls="--", lw=1.2)
            print(f"context {context}, one max over the step: {batch[-1] / loose[-1]:.0f} tokens/s at the max")
    ax_lat.set_xscale("log")
    ax_lat.set_xlabel("decode batch size")
    ax_lat.set_ylabel("ms per decode step (per-token latency)")
    ax_lat.legend(frameon=False, fontsize=9)
    ax_tps.set_xscale("log")
    ax_tps.set_yscale("log")
    ax_tps.set_xlabel("decode batch size")
    ax_tps.set_ylabel("output tokens/s (whole GPU)")
    fig.suptitle("Llama 3 8B, BF16, one H100 SXM: roofline lower bound", fontsize=10)
    save(fig, "technical-deep-dive-batch")


if __name__ == "__main__":
    main()
