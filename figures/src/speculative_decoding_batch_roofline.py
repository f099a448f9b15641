"""Speculative decoding speedup against batch size, from a roofline model.

Target: Llama 3.1 8B; draft: Llama 3.2 1B; both BF16 on one H100 SXM
(3.35 TB/s HBM3, 989 TFLOP/s dense BF16; NVIDIA H100 datasheet). Capacity: sold as
80 GB, an H100 80GB reports 81,559 MiB (85.5 GB) to nvidia-smi (NVIDIA's MIG user
guide), the budget used on the rest of the site; the nominal 80e9 bytes is printed as a
sensitivity.
Acceptance rate alpha = 0.8 and draft length gamma = 4 are stated inputs.

A forward pass over b sequences, each adding k tokens at context length L, takes
    T = max(bytes / HBM_BW, flops / PEAK_FLOPS)
with bytes = weights + b * L * kv_bytes_per_token (the KV cache read once) and
flops = b * k * (2 * params + 4 * layers * L * q_dim) (matmuls plus attention).
Plain decoding: one target pass with k = 1 yields b tokens.
Speculative step: gamma draft passes with k = 1, then one target pass with
k = gamma + 1, yields b * E tokens with E = (1 - alpha**(gamma+1)) / (1 - alpha).
"params" is what a pass reads and multiplies by (the target's input embedding is a
one-row lookup and is left out); capacity counts every stored weight.
Curves stop at the largest batch whose weights plus KV caches fit in 85.5 GB
(activations, the CUDA context and fragmentation are not subtracted).
Sensitivity: the dashed curve repeats the 256-token case at the rates measured on one
H100 SXM on 2026-11-28 (site measurements page): about 730 TFLOP/s for a dense BF16
GEMM of the model's feed-forward shape (#fp8-gemm) and 3.0 TB/s streamed (#power-and-clocks).
Crossovers are found on integer batch sizes.

Writes figures/speculative-decoding-batch-roofline.svg and prints the numbers that
the article quotes.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save
from speculative_decoding_tokens_per_step import P_DRAFT, P_TARGET, P_TARGET_STORED, expected_tokens

HBM_BW = 3.35e12  # bytes/s
PEAK = 989e12  # FLOP/s, dense BF16 (datasheet lists 1,979 with 2:4 sparsity)
MEASURED = {"bw": 3.0e12, "peak": 730e12}  # sustained on one H100 SXM, 2026-11-28
HBM_CAP = 81559 * 2**20  # bytes: an H100 80GB as nvidia-smi reports it, 85.5 GB
HBM_NOMINAL = 80e9  # the datasheet label, for the sensitivity line
B = 2  # bytes per value, BF16

TARGET = {"params": P_TARGET, "layers": 32, "kv_heads": 8, "head_dim": 128, "q_dim": 4096}
DRAFT = {"params": P_DRAFT, "layers": 16, "kv_heads": 8, "head_dim": 64, "q_dim": 2048}


def kv_bytes_per_token(m):
    return 2 * m["layers"] * m["kv_heads"] * m["head_dim"] * B


def pass_time(m, b, k, ctx, bw=HBM_BW, peak=PEAK):
    mem = (m["params"] * B + b * ctx * kv_bytes_per_token(m)) / bw
    flops = b * k * (2 * m["params"] + 4 * m["layers"] * ctx * m["q_dim"])
    return np.maximum(mem, flops / peak)


def speedup(b, ctx, alpha=0.8, gamma=4, bw=HBM_BW, peak=PEAK):
    e = expected_tokens(alpha, gamma)
    plain = pass_time(TARGET, b, 1, ctx, bw, peak)  # per b tokens
    spec = gamma * pass_time(DRAFT, b, 1, ctx, bw, peak) + pass_time(TARGET, b, gamma + 1, ctx, bw, peak)
    return e * plain / spec


def crossover(ctx, bmax, **rates):
    """Smallest integer batch at which the modeled speedup drops below 1 (None if never)."""
    b = np.arange(1, bmax + 1, dtype=float)
    below = np.nonzero(speedup(b, ctx, **rates) < 1.0)[0]
    return int(b[below[0]]) if below.size else None


def max_batch(ctx, cap=HBM_CAP):
    free = cap - (P_TARGET_STORED + P_DRAFT) * B
    return int(free // (ctx * (kv_bytes_per_token(TARGET) + kv_bytes_per_token(DRAFT))))


def phone_layout(fig) -> None:
    """Phone layout: the legend below the plot in one column, smaller axis text."""
    ax = fig.axes[0]
    ax.set_xlabel("batch size (sequences decoded together)", fontsize=9.5)
    ax.set_ylabel("speedup over plain decoding", fontsize=9.5)
    ax.set_title("Roofline model, H100 SXM, $\\alpha$ = 0.8, $\\gamma$ = 4", fontsize=10.5)
    ax.tick_params(labelsize=10.5)  # math tick labels: superscripts at 70% stay above 7.3 pt
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    fig.set_size_inches(4.0, 4.6)
    fig.legend(handles, labels, loc="outside lower center", ncol=1, fontsize=8, frameon=False)


def main() -> None:
    print(f"ridge point {PEAK / HBM_BW:.0f} FLOP/byte")
    print(f"KV bytes/token target {kv_bytes_per_token(TARGET)} draft {kv_bytes_per_token(DRAFT)}")
    batches = np.unique(np.round(np.logspace(0, np.log10(512), 120)).astype(int))
    fig, ax = new_figure(width=7.0, height=4.2)
    for ctx in (256, 4096, 32768):
        bmax = min(max_batch(ctx), 512)
        bs = np.union1d(batches[batches <= bmax], [bmax])  # end each curve exactly where memory fills
        s = speedup(bs.astype(float), ctx)
        ax.plot(bs, s, label=f"context {ctx:,} tokens (KV fits up to b = {max_batch(ctx)})")
        cross = crossover(ctx, bmax)
        picks = [b for b in (1, 8, 32, 64, 128, 256, 512) if b <= bmax]
        print(
            f"ctx={ctx}: max batch {max_batch(ctx)} in {HBM_CAP / 1e9:.1f} GB "
            f"({max_batch(ctx, HBM_NOMINAL)} in the nominal 80 GB); "
            + " ".join(f"b={b}:{float(speedup(float(b), ctx)):.2f}" for b in picks)
            + (f"; below 1 from b={cross}" if cross else "; never below 1")
        )
    bs = batches[batches <= 512]
    ax.plot(bs, speedup(bs.astype(float), 256, **MEASURED), color=PALETTE[0], linestyle="--", label="context 256 tokens, measured 730 TFLOP/s and 3.0 TB/s")
    for peak in (MEASURED["peak"], 685e12):
        rates = {"bw": MEASURED["bw"], "peak": peak}
        print(
            f"ctx=256 at {peak / 1e12:.0f} TFLOP/s, {rates['bw'] / 1e12:.1f} TB/s: "
            + " ".join(f"b={b}:{float(speedup(float(b), 256, **rates)):.2f}" for b in (1, 64, 128, 256))
            + f"; below 1 from b={crossover(256, 512, **rates)}"
        )
    ax.axhline(1.0, color="0.4", linewidth=0.8)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("batch size (sequences decoded together)")
    ax.set_ylabel("speedup over plain decoding")
    ax.set_title("Roofline model, H100 SXM, $\\alpha$ = 0.8, $\\gamma$ = 4")
    ax.legend(loc="lower left", frameon=False)
    save(fig, "speculative-decoding-batch-roofline", phone=phone_layout)


if __name__ == "__main__":
    main()
