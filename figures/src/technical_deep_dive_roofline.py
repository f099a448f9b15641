"""Roofline of an H100 SXM with prefill and decode points for Llama 3 8B and 70B.

Hardware parameters (NVIDIA H100 SXM datasheet): 989 TFLOP/s dense BF16 Tensor Core
(the datasheet lists 1,979 TFLOP/s with 2:4 sparsity) and 3.35 TB/s HBM3 bandwidth.
Model shapes: Llama 3 paper, Table 3 (vocabulary 128,256 from the released config).
Arithmetic follows docs/series/technical-deep-dive.md: BF16 weights and KV cache,
activations ignored, context 2,048 tokens for every decode sequence.

Writes figures/technical-deep-dive-roofline.svg.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

PEAK_FLOPS = 989e12  # FLOP/s, dense BF16
HBM_BW = 3.35e12  # bytes/s
BF16 = 2
CONTEXT = 2048

# name, layers, d_model, heads, kv_heads, head_dim, d_ff, vocab, GPUs (tensor parallel)
MODELS = [
    ("Llama 3 8B", 32, 4096, 32, 8, 128, 14336, 128256, 1),
    ("Llama 3 70B", 80, 8192, 64, 8, 128, 28672, 128256, 4),
]


def shapes(layers, d, heads, kv_heads, hd, d_ff, vocab):
    d_attn = heads * hd
    kv = kv_heads * hd
    matmul = layers * (d * d_attn + 2 * d * kv + d_attn * d + 3 * d * d_ff) + vocab * d
    total = layers * (d * d_attn + 2 * d * kv + d_attn * d + 3 * d * d_ff + 2 * d) + d + 2 * vocab * d
    kv_bytes = 2 * layers * kv_heads * hd * BF16
    return matmul, total, d_attn, kv_bytes


def main() -> None:
    fig, axes = new_figure(10.0, 4.3, ncols=2)
    x = np.logspace(-0.5, 4, 400)
    ridge = PEAK_FLOPS / HBM_BW
    color = PALETTE[0]
    for ax, (name, L, d, h, kvh, hd, dff, vocab, gpus) in zip(axes, MODELS, strict=True):
        ax.loglog(x, np.minimum(PEAK_FLOPS, HBM_BW * x) / 1e12, color="black", lw=1.6)
        ax.axvline(ridge, color="grey", lw=0.8, ls=":")
        ax.annotate(f"ridge {ridge:.0f} FLOP/B", (ridge, 1.5), rotation=90, ha="right", va="bottom", fontsize=8.5, color="grey")
        n, total, d_attn, kv_bytes = shapes(L, d, h, kvh, hd, dff, vocab)
        top = int((gpus * 80e9 - BF16 * total) // (CONTEXT * kv_bytes))
        # Decode steps at growing batch sizes, up to the largest batch that fits in HBM.
        for bb in sorted({1, 16, top}):
            f = bb * (2 * n + 4 * L * CONTEXT * d_attn)
            b = BF16 * n + bb * CONTEXT * kv_bytes
            y = min(PEAK_FLOPS, HBM_BW * f / b) / 1e12
            ax.scatter([f / b], [y], marker="o", s=36, color=color, zorder=3)
            ax.annotate(f"decode B={bb}", (f / b, y), textcoords="offset points", xytext=(6, -12), fontsize=8, color=color)
        # Prefill of one prompt of P tokens: intensity grows with P.
        for p in (64, CONTEXT):
            f = 2 * n * p + 4 * L * d_attn * p * (p + 1) / 2
            b = BF16 * n + p * kv_bytes
            y = min(PEAK_FLOPS, HBM_BW * f / b) / 1e12
            ax.scatter([f / b], [y], marker="s", s=46, color=PALETTE[1], zorder=3)
            ax.annotate(f"prefill P={p}", (f / b, y), textcoords="offset points", xytext=(-6, 7), ha="right", fontsize=8, color=PALETTE[1])
        # Attention alone during decode: FLOPs per KV byte equals heads / kv_heads.
        g = h / kvh
        ax.scatter([g], [HBM_BW * g / 1e12], marker="x", color=PALETTE[2], s=45, zorder=3)
        ax.annotate(
            f"decode attention\nalone ({g:.0f} FLOP/B)",
            (g, HBM_BW * g / 1e12),
            textcoords="offset points",
            xytext=(-8, 8),
            ha="right",
            fontsize=8,
            color=PALETTE[2],
        )
        ax.set_title(f"{name}, BF16, {gpus} x H100 SXM, context {CONTEXT}", fontsize=10)
        ax.set_xlabel("arithmetic intensity (FLOP per HBM byte)")
        ax.set_xlim(0.3, 1e4)
        ax.set_ylim(1, 2000)
    axes[0].set_ylabel("attainable TFLOP/s per GPU")
    save(fig, "technical-deep-dive-roofline")
    print(f"ridge point {ridge:.1f} FLOP/byte")


if __name__ == "__main__":
    main()
