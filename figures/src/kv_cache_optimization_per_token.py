"""KV cache bytes per token for published model configurations (MHA, MQA, GQA, MLA, windowed, hybrid).

Writes figures/kv-cache-optimization-per-token.svg and prints every number quoted in
articles/kv-cache-optimization.md: per-token sizes, the MLA comparisons, the fixed state of the
Qwen3.5 hybrid, the 128K-context worked example on one H100 with its sensitivity to the memory
budget and to quantization metadata, the batch-times-context threshold at which cache reads exceed
weight reads, the marginal cache bandwidth implied by the measured decode steps, the decode
intensity of MLA with and without tensor parallelism, DeepSeek-V3.2's indexer cache, and the
reload-versus-recompute comparison with its sensitivity to the host-device transfer rate.

Modelling choices, stated once here and on the page:
- Per-token cache size counts keys and values of every layer that keeps a cache, in bytes, with
  2-byte (BF16) values:
  - MHA, GQA, MQA: 2 (K and V) * layers * kv_heads * head_dim * 2
  - MLA (DeepSeek-V2/V3): layers * (kv_lora_rank + rope_head_dim) * 2, one shared latent vector
    plus one decoupled RoPE key per token and layer.
  - Sliding-window layers keep at most `window` tokens; the figure reports the cache of a full
    131,072-token sequence divided by 131,072, so a windowed layer adds window / 131,072 of its
    per-token size. Mistral 7B (v0.1, the version its paper describes) windows all 32 layers.
  - Linear-attention (Gated DeltaNet) layers keep a fixed-size state per sequence that does not
    grow with context; it is not in the bars, and is printed separately (BF16).
  Quantization scales and allocator metadata are not in the bars; the worked example prints the
  effect of scales, and DeepSeek-V3.2's indexer keys are printed separately.
- Configurations are from the model papers, model cards and released config files cited in the
  article.
"""

from __future__ import annotations

from matplotlib.patches import Patch

from _style import PALETTE, new_figure, save

BYTES = 2
CTX = 131_072
# name, attention type, full-context layers, kv heads, head dim (for MLA: latent dim, rope dim),
# sliding-window layers, window (tokens)
MODELS = [
    ("Llama 2 7B", "MHA", 32, 32, 128, 0, 0),
    ("Llama 2 70B", "GQA", 80, 8, 128, 0, 0),
    ("Llama 3 8B", "GQA", 32, 8, 128, 0, 0),
    ("Llama 3 70B", "GQA", 80, 8, 128, 0, 0),
    # v0.1: every layer keeps a 4,096-token sliding window (rolling buffer)
    ("Mistral 7B", "GQA + window", 0, 8, 128, 32, 4096),
    ("Falcon 7B", "MQA", 32, 1, 64, 0, 0),
    ("Qwen3-32B", "GQA", 64, 8, 128, 0, 0),
    ("Qwen3-235B-A22B", "GQA", 94, 4, 128, 0, 0),
    # 18 full-context layers alternating with 18 layers of a 128-token banded window
    ("gpt-oss-120b", "GQA + window", 18, 8, 64, 18, 128),
    # 15 gated-attention layers; the 45 Gated DeltaNet layers keep a fixed state (not counted)
    ("Qwen3.5-397B-A17B", "hybrid", 15, 2, 256, 0, 0),
    # hypothetical: DeepSeek-V2's 128 heads of dimension 128 cached as plain MHA
    ("DeepSeek-V2 heads, MHA", "MHA", 60, 128, 128, 0, 0),
    ("DeepSeek-V2", "MLA", 60, 512, 64, 0, 0),
    ("DeepSeek-V3", "MLA", 61, 512, 64, 0, 0),
]
KINDS = ("MHA", "GQA", "MQA", "MLA", "GQA + window", "hybrid")
COLORS = dict(zip(KINDS, (PALETTE[1], PALETTE[0], PALETTE[2], PALETTE[3], PALETTE[5], PALETTE[4]),
                  strict=True))


def per_layer_token(kind: str, a: int, b: int, nbytes: float = BYTES) -> float:
    """Bytes one layer caches for one token."""
    if kind == "MLA":
        return (a + b) * nbytes
    return 2 * a * b * nbytes


def per_token(kind: str, layers: int, a: int, b: int, win_layers: int = 0, window: int = 0,
              ctx: int = CTX, nbytes: float = BYTES) -> float:
    """Cache of a ctx-token sequence divided by ctx, in bytes per token."""
    layer = per_layer_token(kind, a, b, nbytes)
    return layers * layer + win_layers * layer * min(window, ctx) / ctx


def main() -> None:
    sizes = {}
    for name, kind, layers, a, b, wl, w in MODELS:
        sizes[name] = per_token(kind, layers, a, b, wl, w)
        print(f"{name:24s} {kind:12s}: {sizes[name]:>10,.0f} B/token = {sizes[name] / 1024:8.1f} KiB; "
              f"128K tokens = {sizes[name] * CTX / 1e9:7.2f} GB")
    print(f"MLA reduction vs MHA of the same heads (DeepSeek-V2): "
          f"{sizes['DeepSeek-V2 heads, MHA'] / sizes['DeepSeek-V2']:.1f}x")

    # DeepSeek-V2 (MLA) against DeepSeek 67B (95 layers, GQA with 8 KV heads of 128), in values
    # per token, and with DeepSeek-V2's deployed cache at 6 bits per value against BF16.
    v67 = 2 * 95 * 8 * 128
    v2 = 60 * (512 + 64)
    print(f"DeepSeek 67B {v67:,} values/token; DeepSeek-V2 {v2:,}; MLA alone {1 - v2 / v67:.1%} smaller; "
          f"with 6-bit cache vs 16-bit {1 - v2 * 6 / (v67 * 16):.1%} smaller")

    # Qwen3.5-397B-A17B: the 45 Gated DeltaNet layers keep a fixed state per sequence: a 128 x 128
    # recurrent state for each of 64 value heads, plus a causal-convolution window of kernel 4
    # (3 past positions) over the q, k, v channels (2 * 16 * 128 + 64 * 128), in BF16.
    rec = 64 * 128 * 128
    conv = (2 * 16 * 128 + 64 * 128) * (4 - 1)
    state = 45 * (rec + conv) * 2
    q35, ds3 = sizes["Qwen3.5-397B-A17B"], sizes["DeepSeek-V3"]
    print(f"Qwen3.5 fixed state: {state / 1e6:.1f} MB/sequence (recurrent {45 * rec * 2 / 1e6:.1f} MB); "
          f"equals its attention cache at {state / q35:,.0f} tokens; adds {state / CTX / 1024:.2f} KiB/token at 128K")
    print(f"Qwen3.5 below DeepSeek-V3 beyond {state / (ds3 - q35):,.0f} tokens; at 2,048 tokens: "
          f"Qwen3.5 {(state + 2048 * q35) / 1e6:.1f} MB vs DeepSeek-V3 {2048 * ds3 / 1e6:.1f} MB")
    mistral = sizes["Mistral 7B"] * CTX
    print(f"Mistral 7B rolling buffer: {mistral / 1e9:.2f} GB per sequence at any length >= 4,096 tokens")

    # Worked example: Llama 3.1 8B (Llama 3 8B shapes) at 131,072 tokens on one H100 SXM.
    # Capacity: the 81,559 MiB that nvidia-smi reports for an H100 80GB HBM3, not the nominal 80 GB.
    hbm = 81_559 * 2**20
    weights = 8.03e9 * 2
    free = hbm - weights
    print(f"H100 capacity {hbm / 1e9:.2f} GB; weights {weights / 1e9:.2f} GB; free {free / 1e9:.2f} GB "
          f"(nominal 80 GB would leave {(80e9 - weights) / 1e9:.1f} GB)")
    # vLLM's default gpu_memory_utilization (CacheConfig) caps what the engine claims at that
    # fraction of the total: 0.92 in late-2026 source, 0.9 in earlier releases (printed as a check).
    util, util_old = 0.92, 0.9
    engine = util * hbm - weights
    engine_old = util_old * hbm - weights
    print(f"vLLM default {util} of {hbm / 1e9:.2f} GB: {engine / 1e9:.2f} GB for cache and activations "
          f"(at {util_old}: {engine_old / 1e9:.2f} GB)")
    # Bytes per value: BF16, FP8, SGLang's FP4 (4 bits + one 8-bit scale per 16 values = 4.5 bits),
    # KIVI-style 2 bits + a 16-bit scale and a 16-bit zero point per group of 32 (3 bits), and
    # 2 bits with the scales ignored.
    for label, nbytes_per_val, kv_heads in (("BF16 GQA", 2, 8), ("FP8 GQA", 1, 8),
                                            ("FP4 + scales (4.5 bits)", 4.5 / 8, 8),
                                            ("2-bit + scale, zero (3 bits)", 3 / 8, 8),
                                            ("2-bit GQA (no scale overhead)", 0.25, 8),
                                            ("BF16 as MHA (32 KV heads)", 2, 32)):
        seq_bytes = 2 * 32 * kv_heads * 128 * nbytes_per_val * CTX
        n = int(free // seq_bytes)
        n_reserve = int((free - 1e9) // seq_bytes)
        print(f"Llama 3.1 8B, {label:30s}: {seq_bytes / 1e9:6.2f} GB per 128K sequence "
              f"({2 / nbytes_per_val:.2f}x BF16 tokens); "
              f"{n} fit ({free / seq_bytes:5.2f}), slack {(free - n * seq_bytes) / 1e9:.2f} GB; "
              f"with 1 GB held back: {n_reserve}; vLLM default: {int(engine // seq_bytes)}, "
              f"and {int((engine - 1e9) // seq_bytes)} with 1 GB of activations "
              f"(at {util_old}: {int(engine_old // seq_bytes)} and {int((engine_old - 1e9) // seq_bytes)})")
    print(f"one 128K sequence: {CTX * sizes['Llama 3 8B'] / free:.1%} of the memory after the weights, "
          f"{CTX * sizes['Llama 3 8B'] / hbm:.1%} of all")
    # Memory caps the batch at free / (c * S); the linear layers reach the ridge point at batch 295
    # (BF16 weights: 2 FLOPs per weight per token over 2 bytes per weight).
    ridge = 989e12 / 3.35e12
    print(f"memory-bound before compute-bound when c > {free / (ridge * sizes['Llama 3 8B']):,.0f} tokens "
          f"(nominal 80 GB as in the batching article: {(80e9 - weights) / (ridge * sizes['Llama 3 8B']):,.0f})")

    # Cache reads exceed weight reads in a decode step when B * c > weight bytes / bytes per token.
    weight_bytes = 7.50e9 * 2  # matmul weights read per step (all but the input embedding table)
    print(f"B*c threshold (KV bytes = weight bytes), Llama 3 8B BF16: {weight_bytes / sizes['Llama 3 8B']:,.0f} tokens")
    # Measured decode steps on one H100 SXM (measurements file, section 3): 16 x 4,096 tokens took
    # 8.852 ms (roofline 7.045 ms), 64 x 4,096 took 17.289 ms. The difference is the extra cache read.
    d_tokens = (64 - 16) * 4096
    d_time = (17.289 - 8.852) * 1e-3
    d_bytes = d_tokens * sizes["Llama 3 8B"]
    print(f"marginal cache read: {d_bytes / 1e9:.1f} GB more in {d_time * 1e3:.2f} ms more = "
          f"{d_bytes / d_time / 1e12:.2f} TB/s, {d_time / d_tokens * 1e9:.0f} ns per cached token per step; "
          f"measured/roofline at 16 x 4,096: {8.852 / 7.045:.2f}")

    # Decode attention intensity of MLA in absorbed form (DeepSeek-V2/V3: 128 heads, 512 + 64 latent):
    # per cached token and layer, scores over 576 values and output over 512 values for each head.
    # One query token per sequence; all 128 heads on one GPU unless tensor parallelism splits them
    # (each rank then reads the whole latent for 128 / tp heads).
    flops = 2 * 128 * (576 + 512)
    for label, entry in (("BF16 (1,152 B)", 576 * 2), ("FP8 as vLLM stores it (656 B)", 656),
                         ("FP8, 576 B", 576)):
        print(f"MLA decode intensity, {label}: {flops / entry:.0f} FLOP/byte (H100 ridge {ridge:.0f})")
    for tp in (4, 8):
        print(f"MLA decode intensity, BF16, tensor parallel {tp}: {flops / tp / 1152:.0f} FLOP/byte")
    print(f"GQA with 4 query heads per KV head, BF16: {2 * 2 * 4 * 128 / (2 * 128 * 2):.0f} FLOP/byte")
    # DeepSeek-V3.2's lightning indexer caches a 128-value FP8 key and one FP32 scale per token and layer.
    print(f"DSA indexer cache: {128 + 4} B/token/layer = {(128 + 4) / 656:.0%} of the FP8 MLA entry, "
          f"{(128 + 4) / 1152:.0%} of the BF16 one")

    # Reload from host memory versus recompute by prefill, per token, Llama 3 8B shapes.
    d, kv, ffn, vocab, n_layers = 4096, 1024, 14336, 128256, 32
    layer_params = d * (d + 2 * kv + d) + 3 * d * ffn
    print(f"matmul params per token: all {n_layers * layer_params + vocab * d:,}")
    # Recompute needs every layer up to the last one's K and V projections: no last-layer query,
    # output projection or MLP, and no LM head.
    recompute_params = (n_layers - 1) * layer_params + 2 * d * kv
    print(f"params needed to recompute the cache: {recompute_params:,}")
    prefix_flops = 2 * recompute_params * 2000
    print(f"2,000-token prefix: {prefix_flops:.3g} FLOPs, {prefix_flops / 989e12 * 1e3:.1f} ms at 989 TFLOP/s, "
          f"{prefix_flops / 759e12 * 1e3:.1f} ms at 759 TFLOP/s")
    kv_bytes = sizes["Llama 3 8B"]
    for peak_label, peak in (("989 TFLOP/s datasheet", 989e12), ("759 TFLOP/s measured GEMM", 759e12)):
        recompute = 2 * recompute_params / peak
        print(f"recompute at {peak_label}: >= {recompute * 1e6:5.2f} us/token")
    recompute = 2 * recompute_params / 989e12
    recompute_measured = 2 * recompute_params / 759e12
    links = (("datasheet, 64 GB/s one way", 64e9), ("measured 1 GiB pinned copy, 55.2 GB/s", 55.2e9),
             ("measured 2 MiB blocks, 51.4 GB/s", 51.4e9), ("measured 64 KiB blocks, 7.4 GB/s", 7.4e9),
             ("measured 16 KiB blocks, 1.4 GB/s", 1.4e9))
    for label, link in links:
        for heads_label, kv_heads in (("GQA", 8), ("as MHA", 32)):
            reload = 2 * 32 * kv_heads * 128 * 2 / link
            print(f"Llama 3 8B {heads_label:6s} {label:40s}: reload {reload * 1e6:6.2f} us/token, "
                  f"recompute/reload {recompute / reload:5.2f} at peak, "
                  f"{recompute_measured / reload:5.2f} at the measured GEMM rate")
    print(f"one 16-token block of one layer (K and V): {16 * 2 * 8 * 128 * 2 / 1024:.0f} KiB, "
          f"K or V alone: {16 * 8 * 128 * 2 / 1024:.0f} KiB; of all layers: {16 * kv_bytes / 2**20:.0f} MiB")
    print(f"HBM 3.35 TB/s vs 64 GB/s: {3.35e12 / 64e9:.0f}x; vs 55.2 GB/s measured: {3.35e12 / 55.2e9:.0f}x")

    fig, ax = new_figure(width=7.8, height=5.4)
    names = [m[0] for m in MODELS][::-1]
    kinds = [m[1] for m in MODELS][::-1]
    vals = [sizes[n] / 1024 for n in names]
    ax.barh(names, vals, color=[COLORS[k] for k in kinds])
    ax.set_xscale("log")
    ax.set_xlabel("KV cache per token at a 131,072-token context (KiB, BF16, log scale)")
    for y, (v, n) in enumerate(zip(vals, names, strict=True)):
        ax.text(v * 1.08, y, f"{v:,.1f} KiB  ({sizes[n] * CTX / 1e9:,.1f} GB at 128K)",
                va="center", fontsize=8)
    ax.set_xlim(2, 4096 * 8)
    handles = [Patch(color=COLORS[k], label=k) for k in KINDS]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.13), ncol=6, fontsize=8,
              frameon=False)
    ax.grid(axis="y", visible=False)
    save(fig, "kv-cache-optimization-per-token", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: taller, shorter bar labels (room made on the log axis), legend below in three columns."""
    ax = fig.axes[0]
    fig.set_size_inches(4.0, 5.6)
    for text in ax.texts:  # "3,840.0 KiB  (515.4 GB at 128K)" -> "3,840 KiB, 515.4 GB"
        kib, gb = text.get_text().removesuffix(" GB at 128K)").split(" KiB  (")
        value = float(kib.replace(",", ""))
        text.set_text(f"{value:,.0f} KiB, {gb} GB" if value >= 100 else f"{kib} KiB, {gb} GB")
        text.set_fontsize(7.5)
    ax.set_xlim(2, 4096 * 128)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlabel("KV cache per token (KiB, BF16);\nbar labels: KiB per token\nand GB for 128K tokens")
    handles = [Patch(color=COLORS[k], label=k) for k in KINDS]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.35, -0.26), ncol=3, fontsize=8,
              frameon=False)


if __name__ == "__main__":
    main()
