"""Attention compute and memory against sequence length for Llama 3.1 8B.

Inputs (stated in the article): Llama 3.1 8B configuration (32 layers, 32 query
heads and 8 key/value heads of dimension 128, 8.03e9 parameters), BF16 storage,
one H100 SXM (80 GB HBM3, 989 TFLOP/s dense BF16; NVIDIA datasheet).

FLOP model for a causal prefill of n tokens:
  dense (all weight matmuls): 2 * P * n
  attention scores and weighted values: 2 * layers * n**2 * q_dim
    (QK^T and PV are 2 * n**2 * q_dim each without a mask; the causal mask halves them)
Memory:
  KV cache: 2 * layers * kv_heads * head_dim * 2 bytes per token
  naive score matrix of one layer: heads * n**2 * 2 bytes (BF16), materialized in HBM
  FlashAttention working state per layer: heads * n * 2 floats (row max and sum, FP32)

Writes figures/context-window-scaling-cost.svg and prints the quoted numbers.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

LAYERS, HEADS, KV_HEADS, HEAD_DIM = 32, 32, 8, 128
Q_DIM = HEADS * HEAD_DIM
P = 8.030e9
BF16 = 2
PEAK = 989e12
HBM_BW = 3.35e12
HBM_CAP = 80e9


def dense_flops(n):
    return 2 * P * n


def attn_flops(n):
    return 2 * LAYERS * n**2 * Q_DIM


def kv_bytes(n):
    return 2 * LAYERS * KV_HEADS * HEAD_DIM * BF16 * n


def naive_scores_bytes(n):
    return HEADS * n**2 * BF16


def flash_state_bytes(n):
    return HEADS * n * 2 * 4


def main() -> None:
    cross = 2 * P / (2 * LAYERS * Q_DIM)
    print(f"attention FLOPs equal dense FLOPs at n = {cross:,.0f} tokens")
    print(f"KV cache per token: {kv_bytes(1):,.0f} bytes")
    for n in (8192, 32768, 131072, 1048576):
        share = attn_flops(n) / (attn_flops(n) + dense_flops(n))
        t = (attn_flops(n) + dense_flops(n)) / PEAK
        print(
            f"n={n:>8,}: dense {dense_flops(n):.3e} attn {attn_flops(n):.3e} FLOP, "
            f"attention share {share:.0%}, prefill >= {t:.2f} s at peak; "
            f"KV {kv_bytes(n) / 1e9:.2f} GB; naive scores/layer {naive_scores_bytes(n) / 1e9:.1f} GB; "
            f"flash state/layer {flash_state_bytes(n) / 1e6:.1f} MB"
        )
    n = 131072
    w = P * BF16
    print(
        f"decode step at n={n}: weights {w / 1e9:.2f} GB + KV {kv_bytes(n) / 1e9:.2f} GB "
        f"-> {(w + kv_bytes(n)) / HBM_BW * 1e3:.2f} ms vs {w / HBM_BW * 1e3:.2f} ms at short context"
    )
    print(f"sequences of 131,072 tokens whose KV fits beside the weights: {(HBM_CAP - w) / kv_bytes(n):.1f}")
    print(f"naive one-layer score matrix reaches 80 GB at n = {np.sqrt(HBM_CAP / (HEADS * BF16)):,.0f}")
    print(f"max context for one sequence in 80 GB: {(HBM_CAP - w) / kv_bytes(1):,.0f} tokens")

    # Ring attention: a device computes 4 * c**2 * q_dim FLOPs per layer against one
    # received KV block of c tokens (4 * c * kv_dim bytes); overlap needs
    # c >= PEAK * kv_dim / (link_bw * q_dim).
    kv_dim = KV_HEADS * HEAD_DIM
    for name, bw in (("NVLink, 450 GB/s per direction", 450e9), ("50 GB/s inter-node link", 50e9)):
        print(f"ring block size for overlap over {name}: c >= {PEAK * kv_dim / (bw * Q_DIM):,.0f} tokens")

    ns = np.logspace(np.log10(1024), np.log10(2**20), 200)
    fig, (ax1, ax2) = new_figure(width=10.0, height=4.2, ncols=2)
    ax1.loglog(ns, dense_flops(ns), label="weight matmuls, $2Pn$")
    ax1.loglog(ns, attn_flops(ns), label="attention, $2Ln^2d$ (causal)")
    ax1.loglog(ns, dense_flops(ns) + attn_flops(ns), color="0.3", linestyle=":", label="total")
    ax1.axvline(cross, color="0.5", linewidth=0.8)
    ax1.annotate(f"equal at {cross / 1000:.0f}K", (cross, 1e14), xytext=(5, 0), textcoords="offset points", fontsize=9)
    ax1.set_xlabel("prompt length n (tokens)")
    ax1.set_ylabel("prefill FLOPs")
    ax1.set_title("(a) prefill compute")
    ax1.legend(loc="upper left", frameon=False, fontsize=9)

    ax2.loglog(ns, kv_bytes(ns) / 1e9, label="KV cache, all layers")
    ax2.loglog(ns, naive_scores_bytes(ns) / 1e9, label="naive score matrix, one layer")
    ax2.loglog(ns, flash_state_bytes(ns) / 1e9, label="FlashAttention softmax state, one layer")
    ax2.axhline(HBM_CAP / 1e9, color="0.3", linestyle="--", linewidth=0.9)
    ax2.annotate("80 GB HBM", (1100, HBM_CAP / 1e9), xytext=(0, 3), textcoords="offset points", fontsize=9)
    ax2.set_xlabel("sequence length n (tokens)")
    ax2.set_ylabel("GB (BF16 values, FP32 statistics)")
    ax2.set_title("(b) memory")
    ax2.legend(loc="upper left", frameon=False, fontsize=9)
    save(fig, "context-window-scaling-cost")


if __name__ == "__main__":
    main()
