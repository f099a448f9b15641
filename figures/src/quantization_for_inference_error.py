"""Quantization error of inference number formats on a sampled weight matrix.

Writes figures/quantization-for-inference-error.svg and prints every number quoted in
articles/quantization-for-inference.md: the format ranges (from torch.finfo), the NF4 levels, the
relative error of each format (including the microscaling FP4 formats MXFP4 and NVFP4), bits
per weight with scale overhead, and the Llama 3 70B worked example.

Weights are synthetic and fixed by a seed: a 1024 x 4096 matrix (output channels x input
channels) whose entries are Student-t distributed with 5 degrees of freedom (heavier tails than a
Gaussian, as trained weights tend to have), normalized to unit variance, and multiplied by a
per-output-channel scale drawn log-normally around 0.02. Rounding to FP16, BF16 and the two FP8
formats uses PyTorch's own casts; integer, NF4 and FP4 rounding is round-to-nearest, implemented
below. MXFP4 follows the OCP MX definition (blocks of 32 E2M1 values sharing a power-of-two E8M0
scale, 2^(floor(log2(amax)) - 2)); NVFP4 uses blocks of 16 E2M1 values with an E4M3 block scale
under one FP32 scale per tensor.

Each format's label carries its storage cost in bits per weight, scales included, and two
controls separate the variables that the 4-bit comparisons otherwise change together: grouped
INT4 without a zero point (symmetric, as per-channel INT4 is) and FP4 with an E4M3 scale on
blocks of 32 (NVFP4's scale type at MXFP4's block size).
"""

from __future__ import annotations

import textwrap

import numpy as np
import torch

from _style import PALETTE, new_figure, save

SEED = 0
ROWS, COLS = 1024, 4096


def sample_weights() -> torch.Tensor:
    gen = torch.Generator().manual_seed(SEED)
    nu = 5.0
    z = torch.randn(ROWS, COLS, generator=gen, dtype=torch.float64)
    chi2 = torch.distributions.Chi2(torch.tensor(nu, dtype=torch.float64))
    torch.manual_seed(SEED)
    v = chi2.sample((ROWS, COLS))
    t = z / torch.sqrt(v / nu) / np.sqrt(nu / (nu - 2))
    row_scale = 0.02 * torch.exp(0.3 * torch.randn(ROWS, 1, generator=gen, dtype=torch.float64))
    return t * row_scale


def cast(w: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    return w.to(torch.float32).to(dtype).to(torch.float64)


def fp8(w: torch.Tensor, dtype: torch.dtype, per_channel: bool) -> torch.Tensor:
    fmax = torch.finfo(dtype).max
    amax = w.abs().amax(dim=1, keepdim=True) if per_channel else w.abs().max()
    scale = amax / fmax
    return cast(w / scale, dtype) * scale


def int_sym(w: torch.Tensor, bits: int, group: int | None) -> torch.Tensor:
    """Symmetric absmax quantization to [-(2^(b-1)-1), 2^(b-1)-1], per row or per group."""
    qmax = 2 ** (bits - 1) - 1
    g = w.reshape(ROWS, -1, group) if group else w.reshape(ROWS, 1, COLS)
    scale = g.abs().amax(dim=-1, keepdim=True) / qmax
    q = torch.clamp(torch.round(g / scale), -qmax, qmax)
    return (q * scale).reshape(ROWS, COLS)


def int8_per_tensor(w: torch.Tensor) -> torch.Tensor:
    """Symmetric absmax INT8 with one scale for the whole matrix."""
    scale = w.abs().max() / 127
    return torch.clamp(torch.round(w / scale), -127, 127) * scale


def int_asym(w: torch.Tensor, bits: int, group: int) -> torch.Tensor:
    """Asymmetric min-max quantization with a zero point, per group (GPTQ/AWQ storage format)."""
    levels = 2**bits - 1
    g = w.reshape(ROWS, -1, group)
    lo, hi = g.amin(dim=-1, keepdim=True), g.amax(dim=-1, keepdim=True)
    scale = (hi - lo) / levels
    zero = torch.round(-lo / scale)
    q = torch.clamp(torch.round(g / scale) + zero, 0, levels)
    return ((q - zero) * scale).reshape(ROWS, COLS)


def nf4_levels() -> torch.Tensor:
    """NF4 code book: quantiles of N(0, 1), normalized to [-1, 1], with an exact zero (QLoRA)."""
    offset = 0.9677083
    pos = torch.special.ndtri(torch.linspace(offset, 0.5, 9, dtype=torch.float64)[:-1])
    neg = -torch.special.ndtri(torch.linspace(offset, 0.5, 8, dtype=torch.float64)[:-1])
    levels = torch.cat([pos, torch.zeros(1, dtype=torch.float64), neg]).sort().values
    return levels / levels.abs().max()


def nf4(w: torch.Tensor, group: int) -> torch.Tensor:
    levels = nf4_levels()
    g = w.reshape(ROWS, -1, group)
    absmax = g.abs().amax(dim=-1, keepdim=True)
    idx = torch.argmin((g / absmax).unsqueeze(-1).sub(levels).abs(), dim=-1)
    return (levels[idx] * absmax).reshape(ROWS, COLS)


E2M1 = torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0], dtype=torch.float64)
E2M1_LEVELS = torch.cat([-E2M1.flip(0)[:-1], E2M1])  # the 15 distinct FP4 (E2M1) values


def round_e2m1(x: torch.Tensor) -> torch.Tensor:
    """Round to the nearest E2M1 value, saturating at +-6."""
    idx = torch.argmin(x.clamp(-6, 6).unsqueeze(-1).sub(E2M1_LEVELS).abs(), dim=-1)
    return E2M1_LEVELS[idx]


def mxfp4(w: torch.Tensor, block: int = 32) -> torch.Tensor:
    """OCP MXFP4: 32 E2M1 elements share an E8M0 (power-of-two) scale."""
    g = w.reshape(ROWS, -1, block)
    amax = g.abs().amax(dim=-1, keepdim=True)
    scale = torch.exp2(torch.floor(torch.log2(amax)) - 2)  # 2 = largest E2M1 exponent
    return (round_e2m1(g / scale) * scale).reshape(ROWS, COLS)


def nvfp4(w: torch.Tensor, block: int = 16) -> torch.Tensor:
    """NVFP4: 16 E2M1 elements share an E4M3 scale; one FP32 scale per tensor."""
    tensor_scale = w.abs().max() / (6 * 448)
    g = w.reshape(ROWS, -1, block)
    block = (g.abs().amax(dim=-1, keepdim=True) / 6 / tensor_scale).to(torch.float32)
    scale = block.to(torch.float8_e4m3fn).to(torch.float64) * tensor_scale
    return (round_e2m1(g / scale) * scale).reshape(ROWS, COLS)


def rel_err(w: torch.Tensor, q: torch.Tensor) -> float:
    return float(torch.linalg.norm(w - q) / torch.linalg.norm(w))


def main() -> None:
    for name, dt in (("FP16", torch.float16), ("BF16", torch.bfloat16),
                     ("FP8 E4M3", torch.float8_e4m3fn), ("FP8 E5M2", torch.float8_e5m2),
                     ("FP8 E4M3 FNUZ", torch.float8_e4m3fnuz)):
        fi = torch.finfo(dt)
        print(f"{name:9s}: max {fi.max:.6g}, smallest normal {fi.smallest_normal:.3g}, "
              f"machine epsilon {fi.eps:.3g}")
    print("NF4 levels:", [round(x, 4) for x in nf4_levels().tolist()])

    w = sample_weights()
    kurt = float(((w / w.std(dim=1, keepdim=True)) ** 4).mean())
    print(f"weights: {ROWS}x{COLS}, kurtosis {kurt:.2f} (Gaussian 3), "
          f"max |w| / std = {float(w.abs().max() / w.std()):.1f}")
    # (label with bits per weight including scale storage, quantized weights)
    results = [
        ("FP16 (16)", cast(w, torch.float16)),
        ("BF16 (16)", cast(w, torch.bfloat16)),
        ("FP8 E4M3, per-channel (8.00)", fp8(w, torch.float8_e4m3fn, True)),
        ("FP8 E4M3, per-tensor (8)", fp8(w, torch.float8_e4m3fn, False)),
        ("FP8 E5M2, per-tensor (8)", fp8(w, torch.float8_e5m2, False)),
        ("INT8, per-channel (8.00)", int_sym(w, 8, None)),
        ("INT8, per-tensor (8)", int8_per_tensor(w)),
        ("INT4, per-channel (4.00)", int_sym(w, 4, None)),
        ("INT4, g128, symmetric (4.13)", int_sym(w, 4, 128)),
        ("INT4, g128, zero point (4.16)", int_asym(w, 4, 128)),
        ("INT4, g64, zero point (4.31)", int_asym(w, 4, 64)),
        ("NF4, g64 (4.50)", nf4(w, 64)),
        ("NVFP4, E4M3 scale per 16 (4.50)", nvfp4(w)),
        ("FP4, E4M3 scale per 32 (4.25)", nvfp4(w, 32)),
        ("MXFP4, E8M0 scale per 32 (4.25)", mxfp4(w)),
    ]
    errs = {name: rel_err(w, q) for name, q in results}
    for name, e in errs.items():
        print(f"{name:32s}: relative RMS error {e:.3e}")
    print("further controls (not plotted): "
          f"INT4 g64 symmetric {rel_err(w, int_sym(w, 4, 64)):.3f}, "
          f"INT4 g32 zero point (4.63 bits) {rel_err(w, int_asym(w, 4, 32)):.3f}, "
          f"FP4 with E8M0 scale per 16 (4.50 bits) {rel_err(w, mxfp4(w, 16)):.3f}")

    # bits per weight including scale storage
    bpw = {"BF16": 16, "FP8 per-tensor": 8, "INT8 per-channel (4096 inputs, FP16 scale)": 8 + 16 / 4096,
           "INT4 group 128, GPTQ/AWQ layout (FP16 scale + 4-bit zero point)": 4 + 20 / 128,
           "INT4 group 128, symmetric (FP16 scale only)": 4 + 16 / 128,
           "INT4 group 64, FP16 scale + 4-bit zero point": 4 + 20 / 64,
           "INT4 group 32, FP16 scale + 4-bit zero point": 4 + 20 / 32,
           "NF4 group 64 (FP32 absmax)": 4 + 32 / 64,
           "NF4 group 64, double quantization": 4 + 8 / 64 + 32 / (64 * 256),
           "MXFP4 (E8M0 scale per 32)": 4 + 8 / 32, "NVFP4 (E4M3 scale per 16)": 4 + 8 / 16}
    for k, v in bpw.items():
        print(f"bits per weight, {k}: {v:.3f}")

    # Worked example: Llama 3 70B (80 layers, d 8192, 64 heads, 8 KV heads, head 128, FFN 28672,
    # vocabulary 128256, untied embeddings) on H100 SXM (3.35 TB/s), sold as 80 GB but reporting
    # 81,559 MiB (85.5 GB) to nvidia-smi, the capacity the site's KV cache article also uses; the
    # CUDA context, activations and the engine's buffers are not subtracted. Quantized checkpoints
    # quantize only the linear layers inside the transformer blocks; the embedding table and the LM
    # head stay in BF16. A decode step reads every block linear and the LM head, but only one row
    # of the embedding table per token.
    layers, d, h, kv, dh, ffn, vocab = 80, 8192, 64, 8, 128, 28672, 128256
    per_layer = 2 * d * h * dh + 2 * d * kv * dh + 3 * d * ffn
    block = layers * per_layer
    embed = head = vocab * d
    total = block + embed + head
    print(f"Llama 3 70B: total parameters {total / 1e9:.2f} B, block linears {block / 1e9:.2f} B, "
          f"embedding and LM head {(embed + head) / 1e9:.2f} B, matmul parameters {(block + head) / 1e9:.2f} B")
    kv_bytes_per_token = 2 * layers * kv * dh * 2
    capacity = 81559 * 2**20 / 1e9  # GB per GPU
    print(f"  H100 capacity {capacity:.2f} GB (81,559 MiB)")
    for label, bits in (("BF16", 16), ("FP8", 8), ("INT4 g128", 4 + 20 / 128)):
        gb = (block * bits / 8 + (embed + head) * 2) / 1e9
        gpus = int(np.ceil(gb / capacity))
        read_gb = (block * bits / 8 + head * 2) / 1e9
        read_ms = read_gb * 1e9 / (gpus * 3.35e12) * 1e3
        free = gpus * capacity - gb
        print(f"  {label:9s}: {gb:6.1f} GB of weights, >= {gpus} x 85.5 GB GPUs, {free:4.1f} GB left "
              f"(~{free * 1e9 / kv_bytes_per_token:,.0f} tokens of BF16 KV cache at "
              f"{kv_bytes_per_token // 1024} KiB/token); batch-1 read {read_gb:.1f} GB, "
              f"{read_ms:5.1f} ms/token on {gpus} GPU(s) (~{1e3 / read_ms:.0f} tokens/s upper bound), "
              f"weight intensity per sequence {2 / (bits / 8):.2f} FLOP/byte, "
              f"BF16 ridge reached at batch {989e12 / 3.35e12 / (2 / (bits / 8)):.0f}")

    fig, (ax1, ax2) = new_figure(width=11.0, height=4.6, ncols=2)
    fig.get_layout_engine().set(w_pad=0.05)
    ax1.get_gridspec().set_width_ratios([1.0, 1.3])
    wn = (w / w.std(dim=1, keepdim=True)).flatten().numpy()
    ax1.hist(wn, bins=200, range=(-10, 10), color=PALETTE[0], log=True, histtype="stepfilled")
    ax1.set_xlabel("weight / channel standard deviation")
    ax1.set_ylabel("count (log scale)")
    ax1.set_title("(a) sampled weights, Student-t (5)")
    names = list(errs)
    colors = [PALETTE[2] if n.startswith(("FP16", "BF16")) else PALETTE[0] if n.startswith("FP8")
              else PALETTE[1] if n.startswith("INT8") else PALETTE[4] if n.startswith(("NVFP4", "MXFP4", "FP4"))
              else PALETTE[3] for n in names]
    ax2.barh(names[::-1], [errs[n] for n in names][::-1], color=colors[::-1])
    ax2.set_xscale("log")
    ax2.set_xlabel("relative RMS error of the weights (log scale)")
    ax2.set_title("(b) error by format (bits per weight)")
    ax2.grid(axis="y", visible=False)
    save(fig, "quantization-for-inference-error", phone=phone_layout)


def phone_layout(fig) -> None:
    """Phone layout: the format names on two lines, and a taller panel (b) to hold all fifteen."""
    ax1, ax2 = fig.axes
    fig.set_size_inches(4.0, 8.4)
    ax1.get_subplotspec().get_gridspec().set_height_ratios([1.0, 2.1])
    ax2.set_yticks(ax2.get_yticks(), [phone_name(t.get_text()) for t in ax2.get_yticklabels()], fontsize=7.5)
    ax1.set_title("(a) sampled weights, Student-t (5)", fontsize=10)
    ax2.set_title("(b) error by format (bits per weight)", fontsize=10)
    ax2.set_xlabel("relative RMS error (log scale)")


def phone_name(name: str) -> str:
    """A format name on at most two short lines: broken at its last comma, else wrapped."""
    if len(name) <= 20:
        return name
    lines = name.rsplit(", ", 1)
    if max(len(line) for line in lines) <= 20:
        return ",\n".join(lines)
    return textwrap.fill(name, 17, break_on_hyphens=False)


if __name__ == "__main__":
    main()
