"""Speed-up of quantized formats over BF16: the roofline model against H100 measurements.

Writes figures/quantization-for-inference-speedup.svg and prints the numbers quoted in
articles/quantization-for-inference.md, section "Where the gain ends".

The model. Each matrix multiplication takes max(FLOPs / peak, bytes / bandwidth). FLOPs are
2 per weight per token. Bytes are the weights at their stored width plus the activations read
(BF16, or FP8 for W8A8) and the BF16 output written. Peaks are the H100 SXM datasheet's: 3.35
TB/s, 989 TFLOP/s dense BF16, 1,979 TFLOP/s dense FP8. A weight-only (W4A16) kernel is assumed
to stream its 4-bit weights at full bandwidth and to multiply at the BF16 peak, with
dequantization free. KV-cache reads, attention, launch overhead and communication are ignored:
they are the same for every weight format, so leaving them out overstates every ratio.

Panel (a): every linear layer of one Llama 3 70B decode step, the embedding and LM head kept in
BF16 as published quantized checkpoints do, with a second W4A16 curve that replaces the
datasheet peaks by rates measured on an H100 (2.15 TB/s streaming BF16 weights, 750 TFLOP/s
BF16 GEMM) to show how far the crossover moves with the most uncertain input. The ratios are per
GPU at equal bandwidth: BF16 weights (141 GB) need two GPUs, and the BF16 baseline is either
one hypothetical GPU that holds them or, equivalently per GPU, a two-GPU split with no
communication cost. Panel (b): one 4096 x 14336 projection (a Llama 3 8B MLP matrix), the shape
measured on one H100 SXM (driver 580.159.04, PyTorch 2.11.0+cu130) on 2026-11-28 and listed on
the site's measurements page (docs/about/measurements.md, sections fp8-gemm and
int4-weight-only), read from figures/measured/; FP8 is shown twice, with the activations
already in FP8 (fp8-gemm) and with their cast to FP8 inside the timed call (int4-weight-only).

Panel (c) drops the assumption that the batch is free. On a real deployment the batch is capped
by the memory left for the KV cache once the weights are loaded. Each GPU holds 81,559 MiB
(85.5 GB, what nvidia-smi reports for an H100 80GB HBM3), Llama 3 70B's KV cache takes
320 KiB per token in BF16 (160 KiB in FP8), and every sequence holds `context` tokens; the
largest batch that fits is decoded, and one step costs the linear layers above plus reading
every sequence's KV cache at full bandwidth (attention is memory-bound: with 8 query heads per
KV head it does 8 FLOPs per byte of BF16 cache, far below the ridge). The result is the decode throughput ceiling per GPU. Split deployments divide
weights, KV cache and time evenly over the GPUs with no communication cost.
"""

from __future__ import annotations

import numpy as np

from _measured import measured_table, number
from _style import PALETTE, new_figure, save

BW, BF16_PEAK, FP8_PEAK = 3.35e12, 989e12, 1979e12
BW_MEASURED, BF16_MEASURED = 2.15e12, 750e12  # measurements page: fp8-gemm section
CAPACITY = 81559 * 2**20  # bytes per H100 80GB HBM3, as nvidia-smi reports it
INT4_BITS = 4 + (16 + 4) / 128  # GPTQ/AWQ layout: FP16 scale and 4-bit zero point per 128 weights

# Llama 3 70B: 80 layers, d 8192, 64 query and 8 KV heads of 128, FFN 28,672, vocabulary 128,256.
LAYERS, D, HEADS, KV, DH, FFN, VOCAB = 80, 8192, 64, 8, 128, 28672, 128256
BLOCK_SHAPES = [(D, HEADS * DH), (D, KV * DH), (D, KV * DH), (HEADS * DH, D),
                (D, FFN), (D, FFN), (FFN, D)]  # (input, output) of q, k, v, o, gate, up, down

# Measured on one H100 SXM, 2026-11-28: read from figures/measured/ (docs/about/measurements.md).
FP8_MEASURED = {int(r["tokens"]): number(r["FP8 speed-up"]) for r in measured_table("fp8_gemm")}
# PyTorch's built-in weight-only INT4 kernel, group 128, and FP8 timed with the activation cast
INT4_MEASURED = {int(r["tokens"]): number(r["INT4 vs BF16"]) for r in measured_table("int4_weight_only")}
FP8_CAST_MEASURED = {int(r["tokens"]): number(r["FP8 vs BF16"]) for r in measured_table("int4_weight_only")}


def gemm_time(tokens, k, n, w_bits, a_bytes, peak, bw=BW):
    flops = 2.0 * tokens * k * n
    bytes_ = k * n * w_bits / 8 + tokens * k * a_bytes + tokens * n * 2
    return np.maximum(flops / peak, bytes_ / bw)


FORMATS = {  # weight bits, activation bytes, arithmetic peak
    "BF16": (16, 2, BF16_PEAK),
    "W4A16": (INT4_BITS, 2, BF16_PEAK),
    "FP8 W8A8": (8, 1, FP8_PEAK),
}


def step_time(batch, fmt, bw=BW, bf16_peak=BF16_PEAK):
    """One 70B decode step: quantized block linears plus the BF16 LM head."""
    w_bits, a_bytes, peak = FORMATS[fmt]
    if peak == BF16_PEAK:
        peak = bf16_peak
    t = sum(LAYERS * gemm_time(batch, k, n, w_bits, a_bytes, peak, bw) for k, n in BLOCK_SHAPES)
    return t + gemm_time(batch, D, VOCAB, 16, 2, bf16_peak, bw)


KV_TOKEN = 2 * LAYERS * KV * DH  # K and V elements per token; times 2 bytes in BF16
BLOCK_PARAMS = LAYERS * sum(k * n for k, n in BLOCK_SHAPES)
TABLE_BYTES = 2 * VOCAB * D * 2  # embedding and LM head in BF16

DEPLOYMENTS = {  # label: (weight format, GPUs, KV-cache bytes per element)
    "BF16, 2 GPUs": ("BF16", 2, 2),
    "FP8 W8A8, 1 GPU": ("FP8 W8A8", 1, 2),
    "FP8 W8A8 + FP8 KV, 1 GPU": ("FP8 W8A8", 1, 1),
    "W4A16, 1 GPU": ("W4A16", 1, 2),
    "FP8 W8A8, 2 GPUs": ("FP8 W8A8", 2, 2),
    "W4A16, 2 GPUs": ("W4A16", 2, 2),
}


def memory_limited(context, deployment):
    """Largest batch whose KV cache fits, and the decode throughput ceiling per GPU (tokens/s)."""
    fmt, gpus, kv_bytes = DEPLOYMENTS[deployment]
    weights = BLOCK_PARAMS * FORMATS[fmt][0] / 8 + TABLE_BYTES
    free = gpus * CAPACITY - weights
    batch = np.floor(free / (np.asarray(context) * KV_TOKEN * kv_bytes)).astype(int)
    step = step_time(batch, fmt) / gpus + batch * np.asarray(context) * KV_TOKEN * kv_bytes / (gpus * BW)
    return free, batch, batch / step / gpus


def main() -> None:
    block = LAYERS * sum(k * n for k, n in BLOCK_SHAPES)
    print(f"Llama 3 70B block linears {block / 1e9:.2f} B parameters; INT4 g128 {INT4_BITS:.3f} bits")
    ridge = BF16_PEAK / BW
    print(f"BF16 ridge {ridge:.0f} FLOP/byte; W4A16 weights reach it at batch "
          f"{ridge / (2 / (INT4_BITS / 8)):.0f}; with measured rates "
          f"{BF16_MEASURED / BW_MEASURED:.0f} FLOP/byte, batch "
          f"{BF16_MEASURED / BW_MEASURED / (2 / (INT4_BITS / 8)):.0f}")
    batches = np.array([1, 16, 64, 77, 128, 148, 200, 256, 295, 512])
    bf16 = step_time(batches, "BF16")
    for name in ("W4A16", "FP8 W8A8"):
        s = bf16 / step_time(batches, name)
        print(f"70B step, {name} over BF16 (datasheet): " +
              ", ".join(f"{b}: {x:.2f}x" for b, x in zip(batches, s, strict=True)))
    s = step_time(batches, "BF16", BW_MEASURED, BF16_MEASURED) / step_time(
        batches, "W4A16", BW_MEASURED, BF16_MEASURED)
    print("70B step, W4A16 over BF16 (measured rates): " +
          ", ".join(f"{b}: {x:.2f}x" for b, x in zip(batches, s, strict=True)))
    grid = np.arange(1, 1025)
    for label, args in (("datasheet peaks", (BW, BF16_PEAK)), ("measured rates", (BW_MEASURED, BF16_MEASURED))):
        gain = step_time(grid, "BF16", *args) / step_time(grid, "W4A16", *args)
        print(f"70B step, W4A16 gain below 1% from batch {grid[np.argmax(gain < 1.01)]} ({label})")
    cross = step_time(grid, "FP8 W8A8") / step_time(grid, "W4A16")
    print(f"70B step, FP8 W8A8 faster than W4A16 from batch {grid[np.argmax(cross < 1)]}")
    w4_vs_fp8 = step_time(batches, "FP8 W8A8") / step_time(batches, "W4A16")
    print("70B step, W4A16 over FP8: " + ", ".join(f"{b}: {x:.2f}x" for b, x in zip(batches, w4_vs_fp8, strict=True)))

    print(f"Memory-limited decode, capacity {CAPACITY / 1e9:.2f} GB per GPU, "
          f"KV cache {KV_TOKEN * 2 // 1024} KiB/token in BF16:")
    for name in DEPLOYMENTS:
        cells = []
        for context in (1024, 4096):
            free, batch, rate = memory_limited(context, name)
            cells.append(f"{context} tokens: batch {batch}, {rate:,.0f} tokens/s per GPU")
        print(f"  {name:25s} KV budget {free / 1e9:5.1f} GB; " + "; ".join(cells))
    ctx_grid = 2 ** np.arange(8, 15)
    for a, b in (("W4A16, 1 GPU", "FP8 W8A8, 1 GPU"), ("W4A16, 1 GPU", "FP8 W8A8 + FP8 KV, 1 GPU"),
                 ("FP8 W8A8, 2 GPUs", "W4A16, 2 GPUs")):
        ratio = memory_limited(ctx_grid, a)[2] / memory_limited(ctx_grid, b)[2]
        print(f"  {a} over {b}: " + ", ".join(f"{c}: {r:.2f}x" for c, r in zip(ctx_grid, ratio, strict=True)))
    fine = np.arange(256, 16385, 16)
    lead = memory_limited(fine, "FP8 W8A8, 2 GPUs")[2] / memory_limited(fine, "W4A16, 2 GPUs")[2]
    print(f"  on 2 GPUs, W4A16 overtakes FP8 W8A8 from a context of {fine[np.argmax(lead < 1)]} tokens")

    tokens = np.array(sorted(set(FP8_MEASURED) | set(INT4_MEASURED)))
    k, n = 4096, 14336
    g_bf16 = gemm_time(tokens, k, n, *FORMATS["BF16"])
    for name in ("W4A16", "FP8 W8A8"):
        s = g_bf16 / gemm_time(tokens, k, n, *FORMATS[name])
        print(f"4096x14336 GEMM, {name} over BF16 (model): " +
              ", ".join(f"{t}: {x:.2f}x" for t, x in zip(tokens, s, strict=True)))

    for label, measured in (("FP8", FP8_MEASURED), ("FP8 incl. activation cast", FP8_CAST_MEASURED)):
        t = np.array(list(measured))
        share = np.array(list(measured.values())) / (
            gemm_time(t, k, n, *FORMATS["BF16"]) / gemm_time(t, k, n, *FORMATS["FP8 W8A8"]))
        print(f"4096x14336 GEMM, {label} measured: {min(measured.values()):.2f}x to "
              f"{max(measured.values()):.2f}x over BF16, {share.min():.0%} to {share.max():.0%} of the model")

    fig, (ax1, ax2, ax3) = new_figure(width=15.0, height=5.2, ncols=3)
    b = np.unique(np.round(np.logspace(0, np.log10(1024), 200)).astype(int))
    base = step_time(b, "BF16")
    ax1.plot(b, base / step_time(b, "W4A16"), color=PALETTE[3], label="W4A16 g128, datasheet peaks")
    ax1.plot(b, step_time(b, "BF16", BW_MEASURED, BF16_MEASURED)
             / step_time(b, "W4A16", BW_MEASURED, BF16_MEASURED),
             color=PALETTE[3], linestyle="--", label="W4A16 g128, measured H100 rates")
    ax1.plot(b, base / step_time(b, "FP8 W8A8"), color=PALETTE[0], label="FP8 W8A8, datasheet peaks")
    ax1.axhline(1.0, color="gray", linewidth=0.8)
    ax1.set_xscale("log", base=2)
    ax1.set_xlabel("batch (sequences decoded together)")
    ax1.set_ylabel("speed-up over BF16 per GPU (model)")
    ax1.set_title("(a) Llama 3 70B decode step, roofline model")
    ax1.set_ylim(0, 4.2)
    ax1.set_xticks([1, 4, 16, 64, 256, 1024])
    ax1.set_xticklabels(["1", "4", "16", "64", "256", "1024"])
    ax1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, fontsize=9)

    t = np.unique(np.round(np.logspace(0, np.log10(4096), 200)).astype(int))
    g_base = gemm_time(t, k, n, *FORMATS["BF16"])
    ax2.plot(t, g_base / gemm_time(t, k, n, *FORMATS["W4A16"]), color=PALETTE[3], label="W4A16 model")
    ax2.plot(t, g_base / gemm_time(t, k, n, *FORMATS["FP8 W8A8"]), color=PALETTE[0], label="FP8 model")
    ax2.plot(list(INT4_MEASURED), list(INT4_MEASURED.values()), "s", color=PALETTE[3],
             label="INT4, PyTorch kernel, measured")
    ax2.plot(list(FP8_MEASURED), list(FP8_MEASURED.values()), "o", color=PALETTE[0],
             label="FP8, measured")
    ax2.plot(list(FP8_CAST_MEASURED), list(FP8_CAST_MEASURED.values()), "o", color=PALETTE[0],
             markerfacecolor="white", label="FP8 incl. activation cast, measured")
    ax2.axhline(1.0, color="gray", linewidth=0.8)
    ax2.set_xscale("log", base=2)
    ax2.set_yscale("log", base=2)
    ax2.set_yticks([1 / 16, 1 / 4, 1, 2, 4])
    ax2.set_yticklabels(["1/16", "1/4", "1", "2", "4"])
    ax2.set_xlabel("tokens")
    ax2.set_ylabel("speed-up over BF16")
    ax2.set_title("(b) one 4096 x 14336 GEMM on H100 SXM")
    ax2.set_xticks([1, 8, 64, 512, 4096])
    ax2.set_xticklabels(["1", "8", "64", "512", "4096"])
    ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)

    ctx = 2 ** np.linspace(8, 14, 61)
    styles = {"BF16, 2 GPUs": (PALETTE[2], "--"), "FP8 W8A8, 1 GPU": (PALETTE[0], "-"),
              "FP8 W8A8 + FP8 KV, 1 GPU": (PALETTE[0], ":"), "W4A16, 1 GPU": (PALETTE[3], "-"),
              "FP8 W8A8, 2 GPUs": (PALETTE[0], "--"), "W4A16, 2 GPUs": (PALETTE[3], "--")}
    for name, (color, style) in styles.items():
        ax3.plot(ctx, memory_limited(ctx, name)[2], color=color, linestyle=style, label=name)
    ax3.set_xscale("log", base=2)
    ax3.set_yscale("log")
    ax3.set_xticks([256, 1024, 4096, 16384])
    ax3.set_xticklabels(["256", "1k", "4k", "16k"])
    ax3.set_xlabel("tokens per sequence (context)")
    ax3.set_ylabel("decode tokens/s per GPU (ceiling)")
    ax3.set_title("(c) 70B, batch capped by KV memory")
    ax3.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
    save(fig, "quantization-for-inference-speedup", phone=phone_layout)


def phone_layout(fig) -> None:
    """Phone layout: titles on two lines, shorter y labels, each legend below its panel in one or two columns."""
    ax1, ax2, ax3 = fig.axes
    fig.set_size_inches(4.0, 12.0)
    ax1.get_subplotspec().get_gridspec().set_height_ratios([1.0, 1.15, 1.05])
    ax1.set_title("(a) Llama 3 70B decode step,\nroofline model")
    ax2.set_title("(b) one 4096 x 14336 GEMM\non H100 SXM")
    ax1.set_ylabel("speed-up per GPU (model)")
    ax3.set_ylabel("tokens/s per GPU (ceiling)")
    for ax, ncol in ((ax1, 1), (ax2, 1), (ax3, 2)):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=ncol, fontsize=8, frameon=False)


if __name__ == "__main__":
    main()
