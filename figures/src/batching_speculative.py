"""Speedup of speculative decoding as a function of batch size, from a roofline model.

Writes figures/batching-speculative.svg and prints the numbers quoted in articles/batching.md.

Target model and hardware as in batching_roofline.py (Llama 3 8B in BF16 on one H100 SXM,
989 TFLOP/s dense BF16 and 3.35 TB/s from the datasheet). Speculative decoding with draft length
k and per-token acceptance rate alpha yields (1 - alpha^(k+1)) / (1 - alpha) tokens per target
step in expectation (Leviathan et al., 2023). Assumptions, all stated:
- verification runs the target on k+1 tokens per sequence: the linear layers see B(k+1) tokens,
  attention reads each sequence's KV cache once and does k+1 times the FLOPs;
- drafting k tokens costs k * c decode steps of the target at the same batch size, with c = 0.05
  (a draft model of about one twentieth of the target's per-step time);
- speedup = expected tokens per step / (verify time / plain decode time + k * c).
Panels: context 256 and 4096 tokens per sequence; lines for k = 2, 4, 8 at acceptance 0.8 and
k = 4 at acceptance 0.6. Batches stop where the KV cache no longer fits in 80 GB.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256
BYTES = 2
PEAK_FLOPS, HBM_BW, HBM_BYTES = 989e12, 3.35e12, 80e9
LINEAR_PARAMS = LAYERS * (2 * D_MODEL * N_HEADS * D_HEAD + 2 * D_MODEL * N_KV * D_HEAD
                          + 3 * D_MODEL * D_FFN) + VOCAB * D_MODEL
TOTAL_PARAMS = LINEAR_PARAMS + VOCAB * D_MODEL
WEIGHT_BYTES = LINEAR_PARAMS * BYTES
KV_BYTES_PER_TOKEN = 2 * LAYERS * N_KV * D_HEAD * BYTES
DRAFT_COST = 0.05
ALPHA = 0.8


def step(batch: np.ndarray, context: int, tokens_per_seq: int) -> np.ndarray:
    lin = np.maximum(2 * LINEAR_PARAMS * batch * tokens_per_seq / PEAK_FLOPS, WEIGHT_BYTES / HBM_BW)
    flops = 4 * LAYERS * N_HEADS * D_HEAD * context * batch * tokens_per_seq
    attn = np.maximum(flops / PEAK_FLOPS, KV_BYTES_PER_TOKEN * context * batch / HBM_BW)
    return lin + attn


def expected_tokens(alpha: float, k: int) -> float:
    return (1 - alpha ** (k + 1)) / (1 - alpha)


def speedup(batch: np.ndarray, context: int, k: int, alpha: float = ALPHA) -> np.ndarray:
    ratio = step(batch, context, k + 1) / step(batch, context, 1)
    return expected_tokens(alpha, k) / (ratio + k * DRAFT_COST)


def max_batch(context: int) -> int:
    # leave room for the k extra KV entries of verification: negligible, ignored
    return int((HBM_BYTES - TOTAL_PARAMS * BYTES) // (KV_BYTES_PER_TOKEN * context))


def main() -> None:
    for k in (2, 4, 8):
        print(f"alpha={ALPHA}, k={k}: expected tokens per step {expected_tokens(ALPHA, k):.2f}")
    for ctx in (256, 4096):
        for k in (2, 4, 8):
            b = np.arange(1, max_batch(ctx) + 1)
            s = speedup(b, ctx, k)
            below = b[s < 1.0]
            cross = int(below[0]) if below.size else None
            print(f"ctx={ctx:5d} k={k} alpha={ALPHA}: speedup at B=1 {s[0]:.2f}, at B=16 {s[15]:.2f}, "
                  f"at max batch {b[-1]} {s[-1]:.2f}; first B with speedup < 1: {cross}")

    for ctx in (256, 4096):
        b = np.arange(1, max_batch(ctx) + 1)
        s = speedup(b, ctx, 4, 0.6)
        below = b[s < 1.0]
        print(f"ctx={ctx:5d} k=4 alpha=0.6: speedup at B=1 {s[0]:.2f}, at max batch {b[-1]} "
              f"{s[-1]:.2f}; first B with speedup < 1: {int(below[0]) if below.size else None}")

    fig, axes = new_figure(width=9.0, height=3.8, ncols=2)
    for ax, ctx in zip(axes, (256, 4096), strict=True):
        b = np.arange(1, max_batch(ctx) + 1)
        for color, k in zip(PALETTE, (2, 4, 8), strict=False):
            ax.plot(b, speedup(b, ctx, k), color=color, label=f"k = {k}, acceptance 0.8")
        ax.plot(b, speedup(b, ctx, 4, 0.6), color=PALETTE[1], linestyle=":",
                label="k = 4, acceptance 0.6")
        ax.axhline(1.0, color="#000000", linewidth=1, linestyle="--")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("batch size (sequences)")
        ax.set_ylabel("speedup over plain decoding")
        ax.set_title(f"context {ctx} tokens")
        ax.set_ylim(0, 3.5)
    axes[0].legend(fontsize=9)
    save(fig, "batching-speculative")


if __name__ == "__main__":
    main()
