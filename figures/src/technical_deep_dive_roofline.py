"""Roofline of an H100 SXM with prefill and decode points for Llama 3 8B and 70B, and measurements.

Hardware parameters (NVIDIA H100 SXM datasheet): 989 TFLOP/s dense BF16 and 1,979 TFLOP/s
dense FP8 Tensor Core (the datasheet lists twice each with 2:4 sparsity), 3.35 TB/s HBM3;
capacity 81,559 MiB (85.5 GB) per GPU, what an H100 80GB reports to nvidia-smi (NVIDIA's MIG
user guide). Model shapes: Llama 3 paper, Table 3 (d_ff and vocabulary 128,256 from the
released config.json files).
Arithmetic follows docs/series/technical-deep-dive.md: BF16 weights and KV cache, activations
ignored, context 2,048 tokens for every decode sequence, and a step timed as two kernels run in
sequence (the dense layers, then attention), each max(FLOPs / peak, bytes / bandwidth), summed.
Prefill sends only the last prompt position through the output head.

Measured points (left panel only; both measurements use Llama 3 8B shapes), read from the
site's results file in figures/measured/ through _measured.py: one H100 SXM, driver 580.159.04,
PyTorch 2.11.0+cu130, 2026-11-28 (/about/measurements.md).
- decode_step: nine BF16 decode steps of a Llama-3-8B-shaped model (contexts 1,024 and 4,096),
  placed at the intensity this page's model gives them and at the FLOP rate that the model's
  FLOPs over the measured time imply;
- fp8_gemm: (tokens x 4096) @ (4096 x 14336) GEMMs in BF16 and FP8 (E4M3, BF16 output), placed
  at their own intensity (both operands read once, the output written once) and measured rate.

The page's Listing 10 types the same measurements in (its listings run in an isolated folder
and cannot read the results file). check_listing() compares them with the results file and
stops with an error if a re-measurement has changed them, so the page cannot drift silently.

Writes figures/technical-deep-dive-roofline.svg.
"""

from __future__ import annotations

import ast
import contextlib

import numpy as np

from _measured import ROOT, measured_table, number
from _style import PALETTE, new_figure, save

PEAK_FLOPS = 989e12  # FLOP/s, dense BF16
PEAK_FP8 = 1979e12  # FLOP/s, dense FP8
HBM_BW = 3.35e12  # bytes/s
HBM = 81559 * 2**20  # bytes per GPU, as nvidia-smi reports an H100 80GB
BF16 = 2
CONTEXT = 2048
GEMM_K, GEMM_N = 4096, 14336  # the measured GEMM: (tokens x K) @ (K x N)

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


def step(parts, gpus):
    """(intensity, attained FLOP/s per GPU) of kernels run in sequence, each on its own roofline."""
    flops = sum(f for f, _ in parts)
    seconds = sum(max(f / (gpus * PEAK_FLOPS), b / (gpus * HBM_BW)) for f, b in parts)
    return flops / sum(b for _, b in parts), flops / seconds / gpus


def decode_parts(n, L, d_attn, kv_bytes, batch, context):
    return [(2 * n * batch, BF16 * n), (batch * 4 * L * context * d_attn, batch * context * kv_bytes)]


def measured_points(n, L, d_attn, kv_bytes):
    """Measured decode steps and GEMMs as (intensity, TFLOP/s) arrays."""
    decode = []
    for row in measured_table("decode_step"):
        context, batch, ms = int(number(row["context"])), int(number(row["batch"])), number(row["measured ms"])
        parts = decode_parts(n, L, d_attn, kv_bytes, batch, context)
        flops = sum(f for f, _ in parts)
        decode.append((flops / sum(b for _, b in parts), flops / (ms * 1e-3) / 1e12))
    gemm = {"BF16": [], "FP8": []}
    for row in measured_table("fp8_gemm"):
        t = number(row["tokens"])
        flops = 2 * t * GEMM_K * GEMM_N
        bf16_bytes = BF16 * (t * GEMM_K + GEMM_K * GEMM_N + t * GEMM_N)
        fp8_bytes = t * GEMM_K + GEMM_K * GEMM_N + BF16 * t * GEMM_N  # FP8 in, BF16 out
        gemm["BF16"].append((flops / bf16_bytes, flops / (number(row["BF16 us"]) * 1e-6) / 1e12))
        gemm["FP8"].append((flops / fp8_bytes, flops / (number(row["FP8 us"]) * 1e-6) / 1e12))
    return np.array(decode), {k: np.array(v) for k, v in gemm.items()}


def listing_constants(title: str) -> dict:
    """The literal assignments of the page's listing called `title`."""
    page = (ROOT / "docs/series/technical-deep-dive.md").read_text(encoding="utf-8")
    code = page.split(f'title="{title}"', 1)[1].split("\n", 1)[1].split("```", 1)[0]
    constants = {}
    for node in ast.parse(code).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):
                constants[node.targets[0].id] = ast.literal_eval(node.value)
    return constants


def check_listing() -> None:
    """Stop if the numbers typed into Listing 10 differ from the results file."""
    typed = listing_constants("Listing 10: the floors against one measured H100")
    gemm = {int(number(r["tokens"])): r for r in measured_table("fp8_gemm")}
    cast = [number(r["FP8 vs BF16"]) for r in measured_table("int4_weight_only") if number(r["tokens"]) <= 256]
    uncast = [number(r["FP8 speed-up"]) for t, r in gemm.items() if t <= 256]
    sustained = next(r for r in measured_table("power_clocks") if "GEMM" in r["workload"])
    results = {
        "DECODE_MS": {(int(number(r["context"])), int(number(r["batch"]))): number(r["measured ms"]) for r in measured_table("decode_step")},
        "GEMM_TFLOPS": {f: tuple(int(number(gemm[t][f"{f} TFLOP/s"])) for t in (4096, 1024)) for f in ("BF16", "FP8")},
        "POWER_CAPPED_TFLOPS[0]": int(number(sustained["result"])),
        "FP8_WEIGHT_BOUND": {"inputs already FP8": (min(uncast), max(uncast)), "activation cast timed": (min(cast), max(cast))},
    }
    listing = {key: typed[key] for key in ("DECODE_MS", "GEMM_TFLOPS", "FP8_WEIGHT_BOUND")}
    listing["POWER_CAPPED_TFLOPS[0]"] = typed["POWER_CAPPED_TFLOPS"][0]
    stale = [key for key in results if results[key] != listing[key]]
    if stale:
        raise SystemExit(f"docs/series/technical-deep-dive.md, Listing 10: {', '.join(stale)} differ from figures/measured/; retype them")


def main() -> None:
    check_listing()
    fig, axes = new_figure(10.0, 4.6, ncols=2)
    x = np.logspace(-0.5, 4, 400)
    ridge = PEAK_FLOPS / HBM_BW
    color = PALETTE[0]
    for i, (ax, (name, L, d, h, kvh, hd, dff, vocab, gpus)) in enumerate(zip(axes, MODELS, strict=True)):
        ax.loglog(x, np.minimum(PEAK_FLOPS, HBM_BW * x) / 1e12, color="black", lw=1.6, label="BF16 roof (989 TFLOP/s)")
        ax.loglog(x, np.minimum(PEAK_FP8, HBM_BW * x) / 1e12, color="grey", lw=1.2, ls="--", label="FP8 roof (1,979 TFLOP/s)")
        ax.axvline(ridge, color="grey", lw=0.8, ls=":")
        ax.annotate(f"BF16 ridge {ridge:.0f} FLOP/B", (ridge, 1.5), rotation=90, ha="right", va="bottom", fontsize=8.5, color="grey")
        n, total, d_attn, kv_bytes = shapes(L, d, h, kvh, hd, dff, vocab)
        top = int((gpus * HBM - BF16 * total) // (CONTEXT * kv_bytes))
        # Decode steps at growing batch sizes, up to the largest batch that fits in HBM.
        for bb in sorted({1, 16, top}):
            xi, y = step(decode_parts(n, L, d_attn, kv_bytes, bb, CONTEXT), gpus)
            ax.scatter([xi], [y / 1e12], marker="o", s=36, color=color, zorder=3)
            ax.annotate(f"decode B={bb}", (xi, y / 1e12), textcoords="offset points", xytext=(6, -12), fontsize=8, color=color)
        # Prefill of one prompt of P tokens: intensity grows with P.
        for p in (64, CONTEXT):
            dense = (2 * (n - vocab * d) * p + 2 * vocab * d, BF16 * n)
            attn = (4 * L * d_attn * p * (p + 1) / 2, p * kv_bytes)
            xi, y = step([dense, attn], gpus)
            ax.scatter([xi], [y / 1e12], marker="s", s=46, color=PALETTE[1], zorder=3)
            offset, align = ((8, -14), "left") if p == CONTEXT else ((-6, 7), "right")
            ax.annotate(f"prefill P={p}", (xi, y / 1e12), textcoords="offset points", xytext=offset, ha=align, fontsize=8, color=PALETTE[1])
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
        if i == 0:
            decode, gemm = measured_points(n, L, d_attn, kv_bytes)
            ax.scatter(decode[:, 0], decode[:, 1], marker="o", s=30, facecolors="none", edgecolors=PALETTE[3], zorder=4, label="measured decode steps (BF16)")
            ax.scatter(
                gemm["BF16"][:, 0], gemm["BF16"][:, 1], marker="^", s=30, facecolors="none", edgecolors=PALETTE[4], zorder=4, label="measured GEMMs, BF16"
            )
            ax.scatter(gemm["FP8"][:, 0], gemm["FP8"][:, 1], marker="v", s=30, color=PALETTE[4], zorder=4, label="measured GEMMs, FP8")
            ax.legend(loc="upper left", fontsize=7.5, framealpha=0.9)
        ax.set_title(f"{name}, {gpus} x H100 SXM, context {CONTEXT} (model: BF16)", fontsize=10)
        ax.set_xlabel("arithmetic intensity (FLOP per HBM byte)")
        ax.set_xlim(0.3, 1e4)
        ax.set_ylim(1, 3000)
    axes[0].set_ylabel("attainable TFLOP/s per GPU")
    save(fig, "technical-deep-dive-roofline")
    n, _, d_attn, kv_bytes = shapes(*MODELS[0][1:8])
    decode, gemm = measured_points(n, MODELS[0][1], d_attn, kv_bytes)
    print(f"ridge point {ridge:.1f} FLOP/byte")
    print("measured decode (FLOP/B, TFLOP/s):", np.round(decode, 2).tolist())
    print("measured GEMMs BF16:", np.round(gemm["BF16"], 1).tolist())
    print("measured GEMMs FP8:", np.round(gemm["FP8"], 1).tolist())


if __name__ == "__main__":
    main()
