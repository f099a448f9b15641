"""Activation outliers and 8-bit matrix multiplication: naive W8A8, LLM.int8() and SmoothQuant.

Writes figures/quantization-for-inference-outliers.svg and prints the numbers quoted in
articles/quantization-for-inference.md.

Synthetic, fixed by a seed:
- activations X: 512 tokens x 4096 channels, standard normal, except 8 fixed channels whose
  values are multiplied by 60 (outlier channels; large-magnitude features in fixed channels are
  what LLM.int8() and SmoothQuant report for real models);
- weights W: 4096 x 4096, Gaussian with standard deviation 0.02.
Reference output Y = X W in float64. Each method quantizes X and/or W, multiplies, and reports the
relative RMS error of Y. INT8 is symmetric absmax round-to-nearest; FP8 uses PyTorch's E4M3 cast.
"""

from __future__ import annotations

import textwrap

import numpy as np
import torch

from _style import PALETTE, new_figure, save

SEED = 0
TOKENS, CHANNELS, OUT = 512, 4096, 4096
OUTLIERS, FACTOR = 8, 60.0
THRESHOLD = 6.0  # LLM.int8() outlier threshold on activation magnitude
ALPHA = 0.5  # SmoothQuant migration strength


def q_int8(x: torch.Tensor, dim: int | None) -> torch.Tensor:
    """Symmetric absmax INT8; one scale per slice along `dim` (None: one scale per tensor)."""
    amax = x.abs().max() if dim is None else x.abs().amax(dim=dim, keepdim=True)
    scale = amax / 127
    return torch.clamp(torch.round(x / scale), -127, 127) * scale


def q_fp8(x: torch.Tensor) -> torch.Tensor:
    scale = x.abs().max() / 448
    return (x / scale).to(torch.float32).to(torch.float8_e4m3fn).to(torch.float64) * scale


def rel(y: torch.Tensor, ref: torch.Tensor) -> float:
    return float(torch.linalg.norm(y - ref) / torch.linalg.norm(ref))


def main() -> None:
    gen = torch.Generator().manual_seed(SEED)
    x = torch.randn(TOKENS, CHANNELS, generator=gen, dtype=torch.float64)
    idx = torch.randperm(CHANNELS, generator=gen)[:OUTLIERS]
    x[:, idx] *= FACTOR
    w = 0.02 * torch.randn(CHANNELS, OUT, generator=gen, dtype=torch.float64)
    ref = x @ w

    res = {}
    # weights quantized per output channel (columns of W) in every INT8 variant
    w8 = q_int8(w, dim=0)
    res["W8A16: INT8 weights only"] = rel(x @ w8, ref)
    res["W8A8: per-tensor activations"] = rel(q_int8(x, None) @ w8, ref)
    res["W8A8: per-token activations"] = rel(q_int8(x, 1) @ w8, ref)
    res["W8A8 FP8 E4M3, per-tensor"] = rel(q_fp8(x) @ q_fp8(w), ref)

    # LLM.int8(): channels with any |x| > threshold go through a 16-bit matmul
    outlier_cols = (x.abs() > THRESHOLD).any(dim=0)
    xo, xr = x[:, outlier_cols], x[:, ~outlier_cols]
    wo, wr = w[outlier_cols], w[~outlier_cols]
    y_int8 = q_int8(xr, 1) @ q_int8(wr, 0)
    y_fp16 = xo.to(torch.float16).to(torch.float64) @ wo.to(torch.float16).to(torch.float64)
    res["LLM.int8(): vector-wise + FP16 outliers"] = rel(y_int8 + y_fp16, ref)
    frac = int(outlier_cols.sum()) / CHANNELS

    # SmoothQuant: s_j = max|X_j|^alpha / max|W_j|^(1 - alpha); X / s, s * W
    s = x.abs().amax(dim=0) ** ALPHA / w.abs().amax(dim=1) ** (1 - ALPHA)
    xs, ws = x / s, w * s[:, None]
    res["SmoothQuant: per-tensor activations"] = rel(q_int8(xs, None) @ q_int8(ws, 0), ref)

    amax_before = x.abs().amax(dim=0)
    amax_after = xs.abs().amax(dim=0)
    print(f"outlier channels: {OUTLIERS} x{FACTOR:.0f}; LLM.int8() routes {int(outlier_cols.sum())} channels "
          f"({frac:.2%}) through FP16")
    print(f"activation max / median channel absmax: before {float(amax_before.max() / amax_before.median()):.1f}, "
          f"after smoothing {float(amax_after.max() / amax_after.median()):.1f}")
    for k, v in res.items():
        print(f"{k:42s}: relative output error {v:.2e}")

    fig, (ax1, ax2) = new_figure(width=9.5, height=4.0, ncols=2)
    bins = np.logspace(-1, 3, 81)
    ax1.hist(amax_before.numpy(), bins=bins, histtype="step", color=PALETTE[1], label="before smoothing")
    ax1.hist(amax_after.numpy(), bins=bins, histtype="step", color=PALETTE[0], label="after SmoothQuant (alpha 0.5)")
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_xlabel("max |activation| of a channel over tokens (log)")
    ax1.set_ylabel("number of channels (log)")
    ax1.set_title("(a) per-channel activation range")
    ax1.legend(fontsize=8, loc="upper right")
    names = list(res)
    ax2.barh(names[::-1], [res[n] for n in names][::-1],
             color=[PALETTE[2] if "W8A16" in n else PALETTE[1] if n.startswith("W8A8") else PALETTE[0]
                    for n in names][::-1])
    ax2.set_xscale("log")
    ax2.set_xlabel("relative RMS error of X W (log scale)")
    ax2.set_title("(b) 8-bit matmul error")
    ax2.grid(axis="y", visible=False)
    ax2.set_xlim(float(np.min(list(res.values()))) / 2, 1.0)
    save(fig, "quantization-for-inference-outliers", phone=phone_layout)


def phone_layout(fig) -> None:
    """Phone layout: shorter title and axis labels, the method names of (b) on two or three lines."""
    ax1, ax2 = fig.axes
    fig.set_size_inches(4.0, 7.2)
    ax1.get_subplotspec().get_gridspec().set_height_ratios([1.0, 1.2])
    ax1.set_xlabel("max |activation| per channel (log)")
    ax1.set_title("(a) channel activation range")
    ax2.set_xlabel("relative RMS error of X W (log)")
    handles, labels = ax1.get_legend_handles_labels()
    ax1.legend(handles, [label.replace(" (", "\n(") for label in labels], fontsize=7.5, loc="center right")
    ax2.set_yticks(ax2.get_yticks(), [phone_name(t.get_text()) for t in ax2.get_yticklabels()], fontsize=8)


def phone_name(name: str) -> str:
    """A method name broken after its first colon or comma, each part wrapped at 22 characters."""
    head, sep, tail = name.partition(": ") if ": " in name else name.partition(", ")
    return "\n".join(textwrap.fill(part, 22, break_on_hyphens=False) for part in (head + sep.strip(), tail) if part)


if __name__ == "__main__":
    main()
