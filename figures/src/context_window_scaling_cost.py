"""Attention compute and memory against sequence length for Llama 3.1 8B.

Inputs (stated in the article): Llama 3.1 8B configuration (32 layers, hidden size
4,096, 32 query heads and 8 key/value heads of dimension 128, SwiGLU FFN of width
14,336, vocabulary 128,256, untied input embedding and LM head), BF16 storage, one
H100 SXM (80 GB HBM3, 3.35 TB/s, 989 TFLOP/s dense BF16; NVIDIA datasheet). Capacity: the
81,559 MiB (85.5 GB) that an H100 80GB reports to nvidia-smi (NVIDIA's MIG user guide), the
budget the site's KV cache, quantization and batching pages use; the label's 80e9 bytes is
printed as a sensitivity.

FLOP model for a causal prefill of n tokens (matrix multiplications only; norms,
softmax, RoPE and the embedding lookup are ignored):
  weights: 2 * P_mm * n, where P_mm counts the parameters that take part in a matmul:
      the 32 blocks' projections plus the LM head, not the input embedding (a lookup).
      Variant: without the LM head (serving computes logits for the last position only).
  attention scores and weighted values: 2 * layers * n**2 * q_dim
    (QK^T and PV are 2 * n**2 * q_dim each without a mask; the causal mask halves them)
Memory:
  KV cache: 2 * layers * kv_heads * head_dim * 2 bytes per token
  naive score matrix of one layer: heads * n**2 * 2 bytes (BF16), materialized in HBM
  FlashAttention working state per layer: heads * n * 2 floats (row max and sum, FP32)
A decode step reads the matmul weights (P_mm * 2 bytes) and the whole KV cache once.

Measured anchors (one H100 SXM, 2026-11-28, the site's measurements page):
  dense BF16 GEMM (tokens x 4096 @ 4096 x 14336) at 1,024-4,096 tokens: 733-759 TFLOP/s
    (short bursts); sustained 8192^3 BF16 GEMMs at the 700 W power cap: 671-685 TFLOP/s
  SDPA attention, 32 heads of 128, 4,096 tokens, BF16: 521 TFLOP/s causal, 652 non-causal
    (the causal rate at 4K is held down by diagonal tiles; at 128K it lies between the two)
  decode step of a Llama-3-8B-shaped model at 1,024 / 4,096 tokens of context: 6.027 / 6.215 ms
    (the cache is 0.9% / 3.6% of the bytes read, so these anchor the weight term only)

Other hardware (datasheets): H200 SXM 141 GB at 4.8 TB/s; B200 180 GB at 8 TB/s (DGX B200:
1,440 GB and 64 TB/s for eight GPUs). Their usable capacities are not confirmed here, so they
keep the datasheet labels in decimal GB, which understates them if, like the H100, they report
more than the label. FlashAttention-4 on B200 reaches up to 1,613 TFLOP/s in
BF16 (Zadouri et al.). Serving engines reserve part of the card: vLLM's default
gpu_memory_utilization is 0.92 in its late-2026 source (CacheConfig; 0.9 before, printed as a
check). GB are 10**9 bytes throughout.

Also prints the context-parallel all-gather exposure and the per-token cache of the
current architectures in the article's table. Writes figures/context-window-scaling-cost.svg.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

LAYERS, HEADS, KV_HEADS, HEAD_DIM = 32, 32, 8, 128
HIDDEN, FFN, VOCAB = 4096, 14336, 128_256
Q_DIM = HEADS * HEAD_DIM
KV_DIM = KV_HEADS * HEAD_DIM
BF16 = 2
PEAK = 989e12
HBM_BW = 3.35e12
HBM_CAP = 81559 * 2**20  # an H100 80GB as nvidia-smi reports it: 85.5 GB
HBM_NOMINAL = 80e9  # the datasheet label, for the sensitivity lines

# Parameter counts from the configuration.
P_BLOCK_MM = LAYERS * (2 * HIDDEN * Q_DIM + 2 * HIDDEN * KV_DIM + 3 * HIDDEN * FFN)
P_EMBED = VOCAB * HIDDEN  # input embedding; the LM head has the same shape
P_NORMS = LAYERS * 2 * HIDDEN + HIDDEN
P_TOTAL = P_BLOCK_MM + 2 * P_EMBED + P_NORMS
P = P_BLOCK_MM + P_EMBED  # matmul parameters: blocks plus LM head

# Measured on one H100 SXM (see the module docstring).
RATE_DENSE_MEASURED = 733e12
RATE_DENSE_SUSTAINED = 685e12
RATE_ATTN_MEASURED = 521e12
RATE_ATTN_NONCAUSAL = 652e12
DECODE_MEASURED = {1024: 6.027e-3, 4096: 6.215e-3}

# Other parts (datasheets) and a serving engine's memory reserve.
GPUS = {"H100 SXM": (HBM_CAP, 3.35e12), "H200 SXM": (141e9, 4.8e12), "B200": (180e9, 8.0e12)}
RESERVE = 0.92  # vLLM's default gpu_memory_utilization (CacheConfig, late-2026 source)
RESERVE_OLD = 0.9  # the earlier default, for comparison
FA4_B200 = 1613e12  # FlashAttention-4, B200, BF16, best case


def dense_flops(n, p=P):
    return 2 * p * n


def attn_flops(n):
    return 2 * LAYERS * n**2 * Q_DIM


def kv_bytes(n):
    return 2 * LAYERS * KV_HEADS * HEAD_DIM * BF16 * n


def naive_scores_bytes(n):
    return HEADS * n**2 * BF16


def flash_state_bytes(n):
    return HEADS * n * 2 * 4


def main() -> None:
    print(
        f"parameters: total {P_TOTAL / 1e9:.3f}e9, input embedding {P_EMBED / 1e9:.3f}e9, "
        f"matmul (blocks + LM head) {P / 1e9:.3f}e9, blocks only {P_BLOCK_MM / 1e9:.3f}e9"
    )
    cross = P / (LAYERS * Q_DIM)
    for name, p in (("total parameters (old model)", P_TOTAL), ("matmul parameters", P), ("blocks only, no LM head", P_BLOCK_MM)):
        n_eq = p / (LAYERS * Q_DIM)
        share = attn_flops(131072) / (attn_flops(131072) + dense_flops(131072, p))
        print(f"  counting {name}: FLOPs equal at n = {n_eq:,.0f}; attention share at 131,072 = {share:.1%}")
    cross_time = cross * RATE_ATTN_MEASURED / RATE_DENSE_MEASURED
    cross_time_hi = cross * RATE_ATTN_NONCAUSAL / RATE_DENSE_MEASURED
    print(f"at the measured rates ({RATE_DENSE_MEASURED / 1e12:.0f} / {RATE_ATTN_MEASURED / 1e12:.0f} TFLOP/s) the times are equal at n = {cross_time:,.0f}")
    n = 131072
    for name, rd, ra in (
        ("burst GEMM, causal SDPA", RATE_DENSE_MEASURED, RATE_ATTN_MEASURED),
        ("burst GEMM, non-causal SDPA", RATE_DENSE_MEASURED, RATE_ATTN_NONCAUSAL),
        ("sustained GEMM, causal SDPA", RATE_DENSE_SUSTAINED, RATE_ATTN_MEASURED),
    ):
        t = dense_flops(n) / rd + attn_flops(n) / ra
        print(f"  rates {rd / 1e12:.0f} / {ra / 1e12:.0f} TFLOP/s ({name}): equal time at n = {cross * ra / rd:,.0f}; 131,072-token prefill {t:.2f} s")
    flip = attn_flops(131072) / dense_flops(131072)
    print(f"attention would fall below half of the 131,072-token prefill time only if it ran {flip:.2f}x faster per FLOP than the weight matmuls")
    print(f"KV cache per token: {kv_bytes(1):,.0f} bytes")
    for n in (8192, 32768, 131072, 1048576):
        share = attn_flops(n) / (attn_flops(n) + dense_flops(n))
        t = (attn_flops(n) + dense_flops(n)) / PEAK
        t_meas = dense_flops(n) / RATE_DENSE_MEASURED + attn_flops(n) / RATE_ATTN_MEASURED
        print(
            f"n={n:>8,}: dense {dense_flops(n):.3e} attn {attn_flops(n):.3e} FLOP, "
            f"attention share {share:.1%}, prefill >= {t:.3f} s at peak, {t_meas:.2f} s at measured rates; "
            f"KV {kv_bytes(n) / 1e9:.2f} GB; naive scores/layer {naive_scores_bytes(n) / 1e9:.1f} GB; "
            f"flash state/layer {flash_state_bytes(n) / 1e6:.1f} MB"
        )
    t128 = (attn_flops(131072) + dense_flops(131072)) / PEAK
    t8 = (attn_flops(8192) + dense_flops(8192)) / PEAK
    print(f"131,072 vs 8,192 tokens: {t128 / t8:.1f}x the time for 16x the tokens")
    n = 131072
    w_read = P * BF16
    w_stored = P_TOTAL * BF16
    step = (w_read + kv_bytes(n)) / HBM_BW
    short = w_read / HBM_BW
    print(
        f"decode step at n={n}: weights read {w_read / 1e9:.2f} GB + KV {kv_bytes(n) / 1e9:.2f} GB "
        f"-> {step * 1e3:.2f} ms vs {short * 1e3:.2f} ms at short context ({step / short:.2f}x)"
    )
    eff = []
    for ctx, measured in DECODE_MEASURED.items():
        floor = (w_read + kv_bytes(ctx)) / HBM_BW
        eff.append((w_read + kv_bytes(ctx)) / measured)
        print(
            f"  roofline at {ctx:,} tokens {floor * 1e3:.2f} ms; measured {measured * 1e3:.2f} ms = {measured / floor:.2f}x; "
            f"cache {kv_bytes(ctx) / (w_read + kv_bytes(ctx)):.1%} of bytes read; effective {eff[-1] / 1e12:.2f} TB/s"
        )
    bw_eff = min(eff)
    step_eff = (w_read + kv_bytes(n)) / bw_eff
    print(
        f"  cache share at {n:,}: {kv_bytes(n) / (w_read + kv_bytes(n)):.0%}; at the measured effective {bw_eff / 1e12:.2f} TB/s "
        f"for all bytes the step is {step_eff * 1e3:.1f} ms ({step_eff / DECODE_MEASURED[1024]:.1f}x the measured 1,024-token step); "
        f"each halving of the cache-read bandwidth adds {kv_bytes(n) / bw_eff * 1e3:.1f} ms"
    )
    print(f"weights stored {w_stored / 1e9:.2f} GB; sequences of 131,072 tokens whose KV fits beside them: {(HBM_CAP - w_stored) / kv_bytes(n):.1f}")
    for name, (cap, bw) in GPUS.items():
        full = (cap - w_stored) / kv_bytes(n)
        kept = (RESERVE * cap - w_stored) / kv_bytes(n)
        kept_old = (RESERVE_OLD * cap - w_stored) / kv_bytes(n)
        print(
            f"  {name} ({cap / 1e9:.1f} GB, {bw / 1e12:.2f} TB/s): {full:.2f} caches of 131,072 tokens in all memory, "
            f"{kept:.2f} at {RESERVE:.0%} ({int(kept)} whole requests; {kept_old:.2f} and {int(kept_old)} at {RESERVE_OLD:.0%}); "
            f"decode floor {(w_read + kv_bytes(n)) / bw * 1e3:.2f} ms"
        )
    print(f"131,072-token attention FLOPs at FlashAttention-4's best B200 rate: {attn_flops(n) / FA4_B200:.2f} s")
    for name, cap in (("85.5 GB", HBM_CAP), ("the nominal 80 GB", HBM_NOMINAL)):
        print(
            f"{name}: {(cap - w_stored) / kv_bytes(n):.2f} caches of 131,072 tokens beside the weights; "
            f"naive one-layer score matrix fills it at n = {np.sqrt(cap / (HEADS * BF16)):,.0f}; "
            f"KV cache alone fills it at n = {cap / kv_bytes(1):,.0f}; "
            f"max context for one sequence beside the weights {(cap - w_stored) / kv_bytes(1):,.0f} tokens"
        )

    # Ring attention: a device computes 4 * c**2 * q_dim FLOPs per layer against one
    # received KV block of c tokens (4 * c * kv_dim bytes); overlap needs
    # c >= PEAK * kv_dim / (link_bw * q_dim).
    for name, bw in (("NVLink, 450 GB/s per direction", 450e9), ("50 GB/s inter-node link", 50e9)):
        print(f"ring block size for overlap over {name}: c >= {PEAK * KV_DIM / (bw * Q_DIM):,.0f} tokens")

    # All-gather context parallelism (Llama 3): each of N devices gathers the other
    # devices' K/V ((N-1)/N * n * 4 * kv_dim bytes per layer) before computing its
    # load-balanced share of causal attention (2 * n**2 * q_dim / N FLOPs per layer).
    # Exposed communication relative to compute = 2 (N-1) F kv_dim / (n B q_dim).
    def exposed(n_tok, devices, bw, kv_dim):
        return 2 * (devices - 1) * PEAK * kv_dim / (n_tok * bw * Q_DIM)

    for n_tok in (131072, 1048576):
        for name, bw in (("NVLink 450 GB/s", 450e9), ("50 GB/s link", 50e9)):
            g = exposed(n_tok, 8, bw, KV_DIM)
            m = exposed(n_tok, 8, bw, Q_DIM)
            print(f"all-gather CP, 8 devices, n={n_tok:,}, {name}: exposed K/V gather = {g:.1%} of attention time (GQA), {m:.1%} if MHA")

    # Per-token cache of current architectures (BF16 values), from their configurations,
    # and the same model's cache with multi-head attention (one key/value head per query
    # head, same head sizes) in every layer: the cut that the layout and head sharing make,
    # free of the models' different sizes.
    ctx = 131072
    rows = [
        # name, bytes per token (growing), fixed bytes per sequence, quadratic layers / layers,
        # bytes per token with MHA in every layer
        ("Llama 3.1 8B: 32 full GQA layers, 8 KV heads x 128", 32 * 2 * 8 * 128 * BF16, 0, "32/32", 32 * 2 * 32 * 128 * BF16),
        (
            "gpt-oss-120b: 18 full + 18 banded (128-token) layers, 8 KV heads x 64 (64 query heads)",
            18 * 2 * 8 * 64 * BF16,
            18 * 128 * 2 * 8 * 64 * BF16,
            "18/36",
            36 * 2 * 64 * 64 * BF16,
        ),
        (
            "DeepSeek-V3: 61 MLA layers, 512 + 64 cached values (128 heads, K 192, V 128)",
            61 * (512 + 64) * BF16,
            0,
            "61/61",
            61 * 128 * (192 + 128) * BF16,
        ),
        (
            "Qwen3-Next-80B-A3B: 12 gated-attention layers (2 KV heads x 256, 16 query heads) + 36 Gated DeltaNet",
            12 * 2 * 2 * 256 * BF16,
            36 * 32 * 128 * 128 * BF16,
            "12/48",
            48 * 2 * 16 * 256 * BF16,
        ),
    ]
    for name, per_token, fixed, quad, mha in rows:
        print(
            f"{name}: {per_token:,} B/token, {per_token * ctx / 1e9:.2f} GB at {ctx:,} tokens "
            f"({per_token / rows[0][1]:.2f}x Llama), fixed {fixed / 1e6:.1f} MB, quadratic layers {quad}; "
            f"MHA in every layer {mha:,} B/token, cut {mha / per_token:.1f}x"
        )

    ns = np.logspace(np.log10(1024), np.log10(2**20), 200)
    fig, (ax1, ax2) = new_figure(width=10.0, height=4.2, ncols=2)
    ax1.loglog(ns, dense_flops(ns), label="weight matmuls, $2Pn$")
    ax1.loglog(ns, attn_flops(ns), label="attention, $2Ln^2d$ (causal)")
    ax1.loglog(ns, dense_flops(ns) + attn_flops(ns), color="0.3", linestyle=":", label="total")
    ax1.axvline(cross, color="0.5", linewidth=0.8)
    ax1.annotate(f"equal FLOPs\nat {cross / 1000:.0f}K", (cross, 1e14), xytext=(5, 0), textcoords="offset points", fontsize=9)
    ax1.axvline(cross_time, color="0.5", linewidth=0.8, linestyle="--")
    ax1.axvline(cross_time_hi, color="0.5", linewidth=0.8, linestyle="--")
    ax1.axvspan(cross_time, cross_time_hi, color="0.5", alpha=0.12, linewidth=0)
    ax1.annotate(
        f"equal time at measured\nH100 rates: {cross_time / 1000:.0f}K-{cross_time_hi / 1000:.0f}K",
        (cross_time, 3.5e11),
        xytext=(-5, 0),
        textcoords="offset points",
        fontsize=9,
        ha="right",
    )
    ax1.set_xlabel("prompt length n (tokens)")
    ax1.set_ylabel("prefill FLOPs")
    ax1.set_title("(a) prefill compute")
    ax1.legend(loc="upper left", frameon=False, fontsize=9)

    ax2.loglog(ns, kv_bytes(ns) / 1e9, label="KV cache, all layers")
    ax2.loglog(ns, naive_scores_bytes(ns) / 1e9, label="naive score matrix, one layer")
    ax2.loglog(ns, flash_state_bytes(ns) / 1e9, label="FlashAttention softmax state, one layer")
    ax2.axhline(HBM_CAP / 1e9, color="0.3", linestyle="--", linewidth=0.9)
    ax2.annotate("H100: 85.5 GB (sold as 80 GB)", (1100, HBM_CAP / 1e9), xytext=(0, 3), textcoords="offset points", fontsize=9)
    ax2.set_xlabel("sequence length n (tokens)")
    ax2.set_ylabel("GB (BF16 values, FP32 statistics)")
    ax2.set_title("(b) memory")
    ax2.legend(loc="upper left", frameon=False, fontsize=9)
    save(fig, "context-window-scaling-cost")


if __name__ == "__main__":
    main()
