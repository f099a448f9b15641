"""Quantization error of inference number formats on a sampled weight matrix.

Writes figures/quantization-for-inference-error.svg and prints every number quoted in
articles/quantization-for-inference.md: the format ranges (from torch.finfo), the NF4 levels, the
relative error of each format, bits per weight with scale overhead, and the Llama 3 70B worked
example.

Weights are synthetic and fixed by a seed: a 1024 x 4096 matrix (output channels x input
channels) whose entries are Student-t distributed with 5 degrees of freedom (heavier tails than a
Gaussian, as trained weights tend to have), normalized to unit variance, and multiplied by a
per-output-channel scale drawn log-normally around 0.02. Rounding to FP16, BF16 and the two FP8
formats uses PyTorch's own casts; integer and NF4 rounding is round-to-nearest, implemented below.
"""

from __future__ import annotations

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


def rel_err(w: torch.Tensor, q: torch.Tensor) -> float:
    return float(torch.linalg.norm(w - q) / torch.linalg.norm(w))


def main() -> None:
    for name, dt in (("FP16", torch.float16), ("BF16", torch.bfloat16),
                     ("FP8 E4M3", torch.float8_e4m3fn), ("FP8 E5M2", torch.float8_e5m2)):
        fi = torch.finfo(dt)
        print(f"{name:9s}: max {fi.max:.6g}, smallest normal {fi.smallest_normal:.3g}, "
              f"machine epsilon {fi.eps:.3g}")
    print("NF4 levels:", [round(x, 4) for x in nf4_levels().tolist()])

    w = sample_weights()
    kurt = float(((w / w.std(dim=1, keepdim=True)) ** 4).mean())
    print(f"weights: {ROWS}x{COLS}, kurtosis {kurt:.2f} (Gaussian 3), "
          f"max |w| / std = {float(w.abs().max() / w.std()):.1f}")
    results = [
        ("FP16", cast(w, torch.float16)),
        ("BF16", cast(w, torch.bfloat16)),
        ("FP8 E4M3, per-channel", fp8(w, torch.float8_e4m3fn, True)),
        ("FP8 E4M3, per-tensor", fp8(w, torch.float8_e4m3fn, False)),
        ("FP8 E5M2, per-tensor", fp8(w, torch.float8_e5m2, False)),
        ("INT8, per-channel", int_sym(w, 8, None)),
        ("INT8, per-tensor", int8_per_tensor(w)),
        ("INT4, per-channel", int_sym(w, 4, None)),
        ("INT4, group 128", int_asym(w, 4, 128)),
        ("INT4, group 64", int_asym(w, 4, 64)),
        ("NF4, group 64", nf4(w, 64)),
    ]
    errs = {name: rel_err(w, q) for name, q in results}
    for name, e in errs.items():
        print(f"{name:24s}: relative RMS error {e:.2e}")

    # bits per weight including scale storage
    bpw = {"BF16": 16, "FP8 per-tensor": 8, "INT8 per-channel (4096 inputs, FP16 scale)": 8 + 16 / 4096,
           "INT4 group 128 (FP16 scale + zero)": 4 + 32 / 128, "NF4 group 64 (FP32 absmax)": 4 + 32 / 64,
           "NF4 group 64, double quantization": 4 + 8 / 64 + 32 / (64 * 256)}
    for k, v in bpw.items():
        print(f"bits per weight, {k}: {v:.3f}")

    # Worked example: Llama 3 70B (80 layers, d 8192, 64 heads, 8 KV heads, head 128, FFN 28672,
    # vocabulary 128256, untied embeddings) on H100 SXM (80 GB, 3.35 TB/s).
    layers, d, h, kv, dh, ffn, vocab = 80, 8192, 64, 8, 128, 28672, 128256
    per_layer = 2 * d * h * dh + 2 * d * kv * dh + 3 * d * ffn
    linear = layers * per_layer + vocab * d
    total = linear + vocab * d
    print(f"Llama 3 70B: total parameters {total / 1e9:.2f} B, matmul parameters {linear / 1e9:.2f} B")
    for label, bits in (("BF16", 16), ("FP8", 8), ("INT4 g128", 4.25)):
        gb = total * bits / 8 / 1e9
        gpus = int(np.ceil(gb / 80))
        read_ms = linear * bits / 8 / (gpus * 3.35e12) * 1e3
        print(f"  {label:9s}: {gb:6.1f} GB of weights, >= {gpus} x 80 GB GPUs, "
              f"batch-1 weight read {read_ms:5.1f} ms/token on {gpus} GPU(s) "
              f"(~{1e3 / read_ms:.0f} tokens/s upper bound), "
              f"decode intensity per sequence {2 / (bits / 8):.1f} FLOP/byte, "
              f"BF16 ridge reached at batch {989e12 / 3.35e12 / (2 / (bits / 8)):.0f}")

    fig, (ax1, ax2) = new_figure(width=9.5, height=4.0, ncols=2)
    wn = (w / w.std(dim=1, keepdim=True)).flatten().numpy()
    ax1.hist(wn, bins=200, range=(-10, 10), color=PALETTE[0], log=True, histtype="stepfilled")
    ax1.set_xlabel("weight / channel standard deviation")
    ax1.set_ylabel("count (log scale)")
    ax1.set_title("(a) sampled weights, Student-t (5)")
    names = list(errs)
    colors = [PALETTE[2] if n.startswith(("FP16", "BF16")) else PALETTE[0] if n.startswith("FP8")
              else PALETTE[1] if n.startswith("INT8") else PALETTE[3] for n in names]
    ax2.barh(names[::-1], [errs[n] for n in names][::-1], color=colors[::-1])
    ax2.set_xscale("log")
    ax2.set_xlabel("relative RMS error of the weights (log scale)")
    ax2.set_title("(b) round-to-nearest error by format")
    ax2.grid(axis="y", visible=False)
    save(fig, "quantization-for-inference-error")


if __name__ == "__main__":
    main()
