"""Roofline model of one decode step of Llama 3 8B on one H100 SXM, as a function of batch size.

Writes figures/batching-roofline.svg and prints the numbers quoted in articles/batching.md.

Model (all inputs stated):
- Llama 3 8B shapes: 32 layers, d_model 4096, 32 query heads, 8 KV heads, head dim 128,
  FFN 14336, vocabulary 128256, untied input and output embeddings (Llama 3 paper, model config).
- Weights and KV cache in BF16 (2 bytes per value).
- H100 SXM: 989 TFLOP/s dense BF16 Tensor Core (the datasheet's 1,979 is with 2:4 sparsity),
  3.35 TB/s HBM3 (NVIDIA H100 datasheet). Capacity: sold as 80 GB, an H100 80GB reports
  81,559 MiB (85.5 GB) to nvidia-smi (NVIDIA's MIG user guide), the budget used here as on the
  site's KV cache, quantization and series part 8 pages. The nominal 80e9 bytes is printed as a
  sensitivity. Activations, the CUDA context and fragmentation are not subtracted.
- Each decode step reads every weight of the linear layers once, and each sequence's KV cache
  once. Linear layers and attention are each timed as max(FLOPs / peak, bytes / bandwidth)
  and the two are added. This is an upper bound on speed: real kernels reach a fraction of
  both peaks, and overheads (launches, sampling, communication) are ignored.
- Prefill sends every prompt token through the layers but only the last one through the output
  head, as serving engines do.

Anchor: MEASURED_MS holds one decode step of a Llama-3-8B-shaped model (random BF16 weights,
PyTorch SDPA attention, CUDA-graph replay) measured on one H100 SXM (driver 580.159.04,
PyTorch 2.11.0+cu130) on 2026-11-28, from the site's measurements page (#decode-step). Panel (a)
plots them next to the model, and the script prints the ratio.

Also printed, for the text: the context length above which the KV cache fills memory before the
linear layers reach the ridge point; the decode attention intensity of DeepSeek-V3's multi-head
latent attention (128 heads over one cached latent of 512 + 64 values per token and layer,
up-projections folded into the query and output projections), also when tensor parallelism over t
GPUs splits the heads but every GPU reads the whole latent; the tokens each routed expert of
DeepSeek-V3 (8 of 256 experts per token) sees per decode step under uniform routing; the same
context-length threshold for an H200 (141 GB, 4.8 TB/s, 989 TFLOP/s dense BF16) and a B200
(180 GB, 8 TB/s, 2.25 PFLOP/s dense BF16, half the datasheets' sparse figures), whose capacities
are the datasheet labels in decimal GB because their usable capacities are not confirmed here
(more usable memory would only raise the thresholds); and, from the
measured GEMMs (#fp8-gemm, #int4-weight-only), FP8's speed-up over BF16 up to 256 tokens with and
without the activation cast, and the BF16 rate reached at 256 to 4,096 tokens.
"""

from __future__ import annotations

import numpy as np

from _measured import measured_table, number
from _style import PALETTE, new_figure, save

# Model shapes (Llama 3 8B)
LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256
BYTES = 2  # BF16

# Hardware (H100 SXM datasheet)
PEAK_FLOPS = 989e12
HBM_BW = 3.35e12
HBM_BYTES = 81559 * 2**20  # an H100 80GB as nvidia-smi reports it: 85.5 GB
HBM_NOMINAL = 80e9  # the datasheet label, for the sensitivity line

# Measured decode step (ms) by (context, batch), from the results file; see the docstring.
MEASURED_MS = {(int(r["context"]), int(r["batch"])): number(r["measured ms"]) for r in measured_table("decode_step")}
# Measured GEMMs x @ W.T, x (tokens, 4096), W (14336, 4096): FP8 with activations already in FP8
# (#fp8-gemm) and with their cast inside the timed call (#int4-weight-only).
FP8_GEMM = measured_table("fp8_gemm")
FP8_WITH_CAST = measured_table("int4_weight_only")
GEMM_FLOPS_PER_TOKEN = 2 * 4096 * 14336

# Newer GPUs (datasheets: H200 SXM; DGX B200 per GPU, HGX B200 dense BF16 = half the sparse figure)
GPUS = {"H200": (989e12, 4.8e12, 141e9), "B200": (2250e12, 8.0e12, 180e9)}

# DeepSeek-V3 (technical report, section 4.2): MLA with 128 heads, latent 512, rotary key 64;
# 256 routed experts, 8 active per token.
MLA_HEADS, MLA_LATENT, MLA_ROPE = 128, 512, 64
N_EXPERTS, TOP_K = 256, 8

attn_params = D_MODEL * (N_HEADS * D_HEAD) * 2 + D_MODEL * (N_KV * D_HEAD) * 2  # q, o, k, v
mlp_params = 3 * D_MODEL * D_FFN
embed_params = VOCAB * D_MODEL
total_params = LAYERS * (attn_params + mlp_params) + 2 * embed_params  # norms ignored (<1M)
# Parameters that a decode step multiplies by: all layers plus the output head; the input
# embedding is a table lookup that touches only B rows.
linear_params = LAYERS * (attn_params + mlp_params) + embed_params
weight_bytes = linear_params * BYTES
kv_bytes_per_token = 2 * LAYERS * N_KV * D_HEAD * BYTES


def step_time(batch: np.ndarray, context: int) -> np.ndarray:
    """Seconds for one decode step of `batch` sequences that each hold `context` tokens."""
    lin_flops = 2 * linear_params * batch
    lin_time = np.maximum(lin_flops / PEAK_FLOPS, weight_bytes / HBM_BW)
    attn_flops = 4 * LAYERS * N_HEADS * D_HEAD * context * batch  # QK^T and PV
    attn_bytes = kv_bytes_per_token * context * batch
    attn_time = np.maximum(attn_flops / PEAK_FLOPS, attn_bytes / HBM_BW)
    return lin_time + attn_time


def max_batch(context: int, hbm: float = HBM_BYTES) -> int:
    """Largest batch whose KV cache fits next to the weights in HBM (no other overheads)."""
    free = hbm - total_params * BYTES
    return int(free // (kv_bytes_per_token * context))


def main() -> None:
    ridge = PEAK_FLOPS / HBM_BW
    print(f"total parameters          : {total_params / 1e9:.2f} B")
    print(f"linear parameters per step: {linear_params / 1e9:.2f} B ({weight_bytes / 1e9:.1f} GB)")
    print(f"KV bytes per token        : {kv_bytes_per_token} ({kv_bytes_per_token / 1024:.0f} KiB)")
    print(f"ridge point               : {ridge:.0f} FLOP/byte")
    print(f"attention intensity       : {4 * N_HEADS * D_HEAD / (2 * 2 * N_KV * D_HEAD):.0f} FLOP/byte")
    print(f"B=1 weight read time      : {weight_bytes / HBM_BW * 1e3:.2f} ms")
    print(f"B=1 linear compute time   : {2 * linear_params / PEAK_FLOPS * 1e3:.4f} ms")
    for ctx in (1024, 4096, 16384):
        bmax = max_batch(ctx)
        for b in sorted({1, 16, 64, bmax}):
            t = float(step_time(np.array([b]), ctx)[0])
            print(f"ctx={ctx:5d} B={b:4d}: step {t * 1e3:6.2f} ms, {b / t:8.0f} tokens/s")
        print(f"ctx={ctx:5d}: max batch that fits in {HBM_BYTES / 1e9:.1f} GB = {bmax} "
              f"({max_batch(ctx, HBM_NOMINAL)} in the nominal 80 GB)")
    ratios = []
    for (ctx, b), ms in MEASURED_MS.items():
        model_ms = float(step_time(np.array([b]), ctx)[0]) * 1e3
        ratios.append(ms / model_ms)
        print(f"measured ctx={ctx:5d} B={b:4d}: {ms:6.2f} ms vs roofline {model_ms:6.2f} ms "
              f"({ms / model_ms:.2f}x)")
    print(f"measured / roofline: {min(ratios):.2f}-{max(ratios):.2f}x")
    free = HBM_BYTES - total_params * BYTES
    free_nominal = HBM_NOMINAL - total_params * BYTES
    ridge_batch = ridge * BYTES / 2
    print(f"H100 capacity {HBM_BYTES / 1e9:.2f} GB (81,559 MiB); weights stored {total_params * BYTES / 1e9:.2f} GB; "
          f"free {free / 1e9:.2f} GB ({free_nominal / 1e9:.2f} GB of the nominal 80 GB)")
    print(f"ridge batch of the linear layers: {ridge_batch:.0f} sequences; KV memory binds first "
          f"above a context of {free / (ridge_batch * kv_bytes_per_token):.0f} tokens "
          f"({free_nominal / (ridge_batch * kv_bytes_per_token):.0f} with the nominal 80 GB)")
    prompt = 2048
    head_params = VOCAB * D_MODEL
    prefill_flops = (2 * (linear_params - head_params) * prompt + 2 * head_params
                     + 2 * LAYERS * N_HEADS * D_HEAD * prompt * prompt)
    print(f"prefill of {prompt} tokens: intensity {prefill_flops / weight_bytes:.0f} FLOP/byte, "
          f"compute time {prefill_flops / PEAK_FLOPS * 1e3:.1f} ms")
    latent = MLA_LATENT + MLA_ROPE
    mla_flops = MLA_HEADS * 2 * (latent + MLA_LATENT)  # scores over latent+rope, sum over latent
    print(f"MLA decode attention: {mla_flops} FLOP per cached token and layer; intensity "
          f"{mla_flops / (latent * 2):.0f} FLOP/byte (BF16 cache), {mla_flops / latent:.0f} (FP8 cache)")
    for t in (4, 8):
        print(f"MLA with attention heads split over TP={t}: {mla_flops / (latent * 2) / t:.0f} FLOP/byte (BF16), "
              f"{mla_flops / latent / t:.0f} (FP8)")
    for name, (peak, bw, hbm) in GPUS.items():
        gfree = hbm - total_params * BYTES
        gridge = peak / bw
        print(f"{name}: ridge {gridge:.0f} FLOP/byte, {gfree / 1e9:.1f} GB free, KV memory binds first above "
              f"{gfree / (gridge * kv_bytes_per_token):.0f} tokens; {int(gfree // (4096 * kv_bytes_per_token))} "
              f"sequences of 4096 tokens fit")
    small = [r for r in FP8_GEMM if int(r["tokens"]) <= 256]
    cast = [r for r in FP8_WITH_CAST if int(r["tokens"]) <= 256]
    print(f"measured FP8 vs BF16, 1-256 tokens: {min(number(r['FP8 speed-up']) for r in small):.2f}-"
          f"{max(number(r['FP8 speed-up']) for r in small):.2f}x with FP8 activations, "
          f"{min(number(r['FP8 vs BF16']) for r in cast):.2f}-{max(number(r['FP8 vs BF16']) for r in cast):.2f}x "
          f"including their cast")
    rates = {int(r["tokens"]): int(r["tokens"]) * GEMM_FLOPS_PER_TOKEN / (number(r["BF16 us"]) * 1e-6)
             for r in FP8_WITH_CAST + FP8_GEMM if int(r["tokens"]) >= 256}  # #fp8-gemm wins where both have a row
    print("measured BF16 GEMM rate: " + ", ".join(f"{n} tokens {rates[n] / 1e12:.0f} TFLOP/s" for n in sorted(rates)))
    print(f"MoE: each routed expert sees B * {TOP_K}/{N_EXPERTS} = B/{N_EXPERTS // TOP_K} tokens; "
          f"it reaches the ridge batch at B = {ridge_batch * N_EXPERTS / TOP_K:.0f} tokens per step")

    fig, (ax1, ax2) = new_figure(width=9.0, height=3.8, ncols=2)
    for color, ctx in zip(PALETTE, (1024, 4096, 16384), strict=False):
        bmax = max_batch(ctx)
        b = np.arange(1, 521)  # past the 517 sequences of 1,024 tokens that fit
        t = step_time(b, ctx)
        fits = b <= bmax
        ax1.plot(b[fits], t[fits] * 1e3, color=color, label=f"context {ctx}")
        ax1.plot(b[~fits], t[~fits] * 1e3, color=color, linestyle=":", alpha=0.6)
        ax2.plot(b[fits], b[fits] / t[fits], color=color, label=f"context {ctx}")
        ax2.plot(b[~fits], b[~fits] / t[~fits], color=color, linestyle=":", alpha=0.6)
        ax2.plot([bmax], [bmax / step_time(np.array([bmax]), ctx)[0]], "o", color=color)
        pts = sorted((bb, ms) for (c, bb), ms in MEASURED_MS.items() if c == ctx)
        if pts:
            ax1.plot([p[0] for p in pts], [p[1] for p in pts], "x", color=color, markersize=7,
                     label=f"measured, context {ctx}")
    b = np.arange(1, 521)  # past the 517 sequences of 1,024 tokens that fit
    ax2.plot(b, PEAK_FLOPS / (2 * linear_params) * np.ones_like(b, dtype=float), color="#000000",
             linestyle="--", linewidth=1, label="compute roof")
    ax1.set_ylim(0, 60)
    ax1.set_xlabel("batch size (sequences)")
    ax1.set_ylabel("decode step time (ms)")
    ax1.set_title("(a) time per output token")
    ax2.set_xlabel("batch size (sequences)")
    ax2.set_ylabel("output tokens per second")
    ax2.set_title("(b) throughput")
    ax1.legend(fontsize=9)
    ax2.legend(fontsize=9, loc="lower right")
    save(fig, "batching-roofline")


if __name__ == "__main__":
    main()
