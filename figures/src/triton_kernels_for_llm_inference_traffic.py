"""HBM bytes moved by unfused (eager) and fused kernels for three LLM inference operators.

Same accounting as the first listing of docs/series/triton-kernels-for-llm-inference.md:
every eager operator reads its inputs from and writes its output to GPU memory (HBM);
a fused kernel reads the inputs once and writes the output once. Shapes (stated in the text):
4096 tokens, hidden size 4096, feed-forward size 14336, 32 heads of dimension 128,
one 4096-token sequence, BLOCK_M = 128, bf16 (2 bytes per element).
Writes figures/triton-kernels-for-llm-inference-traffic.svg and prints the numbers.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

BYTES = 2
T, D, F = 4096, 4096, 14336
H, N, HD, BLOCK_M = 32, 4096, 128, 128


def traffic() -> dict[str, tuple[float, float, float]]:
    """Return elements moved: (unfused, fused upper bound, fused lower bound)."""
    rms_eager = [(T * D, T * D), (T * D, T), (T, T), (T, T), (T * D + T, T * D), (T * D + D, T * D)]
    rms_unfused = sum(r + w for r, w in rms_eager)
    rms_fused = (T * D + D) + T * D
    swiglu_unfused = (T * F + T * F) + (2 * T * F + T * F)
    swiglu_fused = 2 * T * F + T * F
    attn_standard = H * ((2 * N * HD + N * N) + (N * N + N * N) + (N * N + N * HD + N * HD))
    attn_flash_upper = H * (N * HD + (N // BLOCK_M) * 2 * N * HD + N * HD)
    attn_flash_lower = H * 4 * N * HD
    return {
        "RMSNorm": (rms_unfused, rms_fused, rms_fused),
        "SwiGLU": (swiglu_unfused, swiglu_fused, swiglu_fused),
        "Attention": (attn_standard, attn_flash_upper, attn_flash_lower),
    }


def main() -> None:
    data = traffic()
    names = list(data)
    mb = np.array([[v * BYTES / 1e6 for v in data[n]] for n in names])
    for n, row in zip(names, mb, strict=True):
        print(f"{n}: unfused {row[0]:.1f} MB, fused {row[1]:.1f} MB (lower bound {row[2]:.1f} MB)")
    fig, ax = new_figure(width=7.0, height=4.2)
    x = np.arange(len(names))
    w = 0.36
    bars_u = ax.bar(x - w / 2, mb[:, 0], w, color=PALETTE[1], label="unfused (one kernel per operator)")
    bars_f = ax.bar(x + w / 2, mb[:, 1], w, color=PALETTE[0], label="fused (every tile load from HBM)")
    ax.scatter(x[2:] + w / 2, mb[2:, 2], marker="_", s=400, color="black", zorder=3, label="fused, each of Q, K, V, O moved once")
    for bars in (bars_u, bars_f):
        for b in bars:
            ax.text(b.get_x() + b.get_width() / 2, b.get_height() * 1.08, f"{b.get_height():.0f}", ha="center", va="bottom", fontsize=9)
    ax.text(x[2] + w / 2 + 0.22, mb[2, 2], f"{mb[2, 2]:.0f}", va="center", fontsize=9)
    ax.set_yscale("log")
    ax.set_ylim(10, 20000)
    ax.set_xticks(x, names)
    ax.set_ylabel("MB moved to and from HBM (log scale)")
    ax.set_title("Memory traffic per layer, bf16, 4096 tokens", fontsize=11)
    ax.legend(fontsize=9, loc="upper left")
    save(fig, "triton-kernels-for-llm-inference-traffic")


if __name__ == "__main__":
    main()
