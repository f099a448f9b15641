"""Speedup of speculative decoding as a function of batch size, from a roofline model.

Writes figures/batching-speculative.svg and prints the numbers quoted in articles/batching.md.

Target model and hardware as in batching_roofline.py (Llama 3 8B in BF16 on one H100 SXM,
989 TFLOP/s dense BF16 and 3.35 TB/s from the datasheet, capacity 81,559 MiB = 85.5 GB as
nvidia-smi reports an H100 80GB), with the same step model: linear
layers and attention each max(FLOPs / peak, bytes / bandwidth), summed. Speculative decoding
with draft length k and per-token acceptance rate alpha yields (1 - alpha^(k+1)) / (1 - alpha)
tokens per target step in expectation (Leviathan et al., 2023). Assumptions, all stated:
- verification runs the target on k+1 tokens per sequence: the linear layers (output head
  included, since every position needs its distribution) see B(k+1) tokens, and attention
  reads each sequence's KV cache once and does k+1 times the FLOPs;
- main drafter: Llama 3.2 1B (16 layers, width 2048, 32 query and 8 KV heads of 64, FFN 8192,
  vocabulary 128256, tied embeddings), the draft of the site's speculative-decoding article.
  Each of its k passes is timed with the same roofline at the same batch and context, and its
  weights and KV cache count against the 85.5 GB;
- sensitivity: a light drafter whose pass costs 5% of a target decode step at the same batch and
  needs no memory of its own, roughly a one-layer feature-level head such as EAGLE's (assumed,
  not derived);
- dearer-draft sensitivity: every pass (plain, verification, draft) also pays a fixed cost per
  layer equal to the excess of a measured batch-1 decode step over this roofline (6.03 against
  4.52 ms at 1,024 tokens of context, 32 layers: about 47 us per layer; site measurements page,
  #decode-step). The draft's 16 layers then add about 0.75 ms to its 0.74 ms pass. This is an
  assumption: no 1B decode step was measured;
- speedup = expected tokens per step / ((verify time + k * draft pass time) / plain step time).
The script also prints the batch-1 speedup for k = 4 with the verification cost measured on one
H100 SXM on 2026-11-28 (site measurements page, #draft-verification: passes over 4 and 8 query
tokens cost 1.06 and 1.08 plain steps at 1,024 tokens of context; 5 tokens lie between them)
instead of the roofline's 1.00, and, at 4,096 tokens of context, the batch from which the
verification pass's linear layers are compute-bound and how the pass splits at the largest batch.
Measured inputs are read from the repository's results files (figures/measured/).
Panels: context 256 and 4096 tokens per sequence. Batches stop where the KV caches no longer fit.
"""

from __future__ import annotations

import numpy as np

from _measured import measured_table, number
from _style import PALETTE, new_figure, save

BYTES = 2
PEAK_FLOPS, HBM_BW = 989e12, 3.35e12
HBM_BYTES = 81559 * 2**20  # an H100 80GB as nvidia-smi reports it: 85.5 GB (the label is 80 GB)
VOCAB = 128256


def model(layers, d, heads, kv_heads, head_dim, ffn, tied):
    attn = 2 * d * heads * head_dim + 2 * d * kv_heads * head_dim
    per_step = layers * (attn + 3 * d * ffn) + VOCAB * d  # layers plus output head
    stored = per_step + (0 if tied else VOCAB * d)  # an untied input table is stored, not streamed
    return {"linear": per_step, "stored": stored, "layers": layers, "q_dim": heads * head_dim,
            "kv_bytes": 2 * layers * kv_heads * head_dim * BYTES}


TARGET = model(32, 4096, 32, 8, 128, 14336, tied=False)  # Llama 3 8B
DRAFT = model(16, 2048, 32, 8, 64, 8192, tied=True)  # Llama 3.2 1B
LIGHT_DRAFT_COST = 0.05
ALPHA = 0.8
# Measured verification passes (query tokens -> pass time / 1-token pass), site measurements #6.
_VERIFY = {int(r["k"]): number(r["step ms"]) for r in measured_table("draft_verification")}
VERIFY_MEASURED = {k: _VERIFY[k] / _VERIFY[1] for k in (4, 8)}


def step(m, batch, context, tokens_per_seq, per_layer=0.0):
    lin = np.maximum(2 * m["linear"] * batch * tokens_per_seq / PEAK_FLOPS,
                     m["linear"] * BYTES / HBM_BW)
    flops = 4 * m["layers"] * m["q_dim"] * context * batch * tokens_per_seq
    attn = np.maximum(flops / PEAK_FLOPS, m["kv_bytes"] * context * batch / HBM_BW)
    return lin + attn + m["layers"] * per_layer


# Fixed excess per layer of a measured batch-1 decode step over the roofline (site measurements #3).
_STEP_MS = {(int(r["context"]), int(r["batch"])): number(r["measured ms"]) for r in measured_table("decode_step")}
PER_LAYER_S = (_STEP_MS[(1024, 1)] * 1e-3 - float(step(TARGET, 1, 1024, 1))) / TARGET["layers"]


def expected_tokens(alpha: float, k: int) -> float:
    return (1 - alpha ** (k + 1)) / (1 - alpha)


def speedup(batch, context, k, alpha=ALPHA, drafter="1b"):
    """drafter: "1b" (Llama 3.2 1B), "1b+fixed" (every pass also pays PER_LAYER_S per layer), "light"."""
    extra = PER_LAYER_S if drafter == "1b+fixed" else 0.0
    plain = step(TARGET, batch, context, 1, extra)
    draft = k * LIGHT_DRAFT_COST * plain if drafter == "light" else k * step(DRAFT, batch, context, 1, extra)
    return expected_tokens(alpha, k) * plain / (step(TARGET, batch, context, k + 1, extra) + draft)


def max_batch(context: int, drafter: str = "1b") -> int:
    if drafter != "light":
        free = HBM_BYTES - (TARGET["stored"] + DRAFT["stored"]) * BYTES
        per_seq = (TARGET["kv_bytes"] + DRAFT["kv_bytes"]) * context
    else:
        free = HBM_BYTES - TARGET["stored"] * BYTES
        per_seq = TARGET["kv_bytes"] * context
    return int(free // per_seq)


def crossover(context: int, k: int, alpha: float = ALPHA, drafter: str = "1b"):
    b = np.arange(1, max_batch(context, drafter) + 1)
    below = b[speedup(b, context, k, alpha, drafter) < 1.0]
    return int(below[0]) if below.size else None


def main() -> None:
    c1 = float(step(DRAFT, 1, 256, 1) / step(TARGET, 1, 256, 1))
    print(f"draft weights {DRAFT['linear'] / 1e9:.3f} B; cost ratio c at B=1, context 256: {c1:.3f}")
    for k in (2, 4, 8):
        print(f"alpha={ALPHA}, k={k}: expected tokens per step {expected_tokens(ALPHA, k):.2f}")
    for tokens, ratio in VERIFY_MEASURED.items():
        s = expected_tokens(ALPHA, 4) / (ratio + 4 * c1)
        print(f"k=4 (5 tokens verified), 1B draft, B=1, verification charged as the measured "
              f"{tokens}-token pass ({ratio:.2f} plain steps): speedup {s:.2f}")
    cf = float(step(DRAFT, 1, 256, 1, PER_LAYER_S) / step(TARGET, 1, 256, 1, PER_LAYER_S))
    print(f"fixed excess per layer {PER_LAYER_S * 1e6:.0f} us; with it the 1B pass costs "
          f"{float(step(DRAFT, 1, 256, 1, PER_LAYER_S)) * 1e3:.2f} ms, c = {cf:.3f} at B=1, context 256; "
          f"k=4 speedup with the measured 4-token verification cost: "
          f"{expected_tokens(ALPHA, 4) / (VERIFY_MEASURED[4] + 4 * cf):.2f}")
    ctx, k = 4096, 4
    b = np.arange(1, max_batch(ctx) + 1)
    weights_s = TARGET["linear"] * BYTES / HBM_BW
    compute_bound = b[2 * TARGET["linear"] * b * (k + 1) / PEAK_FLOPS > weights_s]
    bmax = int(b[-1])
    print(f"ctx={ctx} k={k}: verification linear layers compute-bound from B = {int(compute_bound[0])}; "
          f"at B = {bmax}: linear compute {2 * TARGET['linear'] * bmax * (k + 1) / PEAK_FLOPS * 1e3:.2f} ms "
          f"vs weight read {weights_s * 1e3:.2f} ms, KV read "
          f"{TARGET['kv_bytes'] * ctx * bmax / HBM_BW * 1e3:.1f} ms, verify pass "
          f"{float(step(TARGET, bmax, ctx, k + 1)) * 1e3:.1f} ms vs plain step "
          f"{float(step(TARGET, bmax, ctx, 1)) * 1e3:.1f} ms")
    for drafter in ("1b", "1b+fixed", "light"):
        for ctx in (256, 4096):
            bmax = max_batch(ctx, drafter)
            for k, alpha in ((2, 0.8), (4, 0.8), (8, 0.8), (4, 0.6)):
                b = np.arange(1, bmax + 1)
                s = speedup(b, ctx, k, alpha, drafter)
                print(f"{drafter:5s} ctx={ctx:5d} k={k} alpha={alpha}: B=1 {s[0]:.2f}, "
                      f"B=64 {s[63] if bmax >= 64 else float('nan'):.2f}, max batch {bmax} {s[-1]:.2f}; "
                      f"first B below 1: {crossover(ctx, k, alpha, drafter)}")

    fig, axes = new_figure(width=9.0, height=4.7, ncols=2)
    for ax, ctx in zip(axes, (256, 4096), strict=True):
        b = np.arange(1, max_batch(ctx) + 1)
        for color, k in zip(PALETTE, (2, 4, 8), strict=False):
            ax.plot(b, speedup(b, ctx, k), color=color, label=f"1B draft, k = {k}, acceptance 0.8")
        ax.plot(b, speedup(b, ctx, 4, 0.6), color=PALETTE[1], linestyle=":",
                label="1B draft, k = 4, acceptance 0.6")
        ax.plot(b, speedup(b, ctx, 4, drafter="1b+fixed"), color=PALETTE[1], linestyle="-.",
                label="1B draft, fixed 47 \u00b5s per layer and pass, k = 4, acc. 0.8")
        bl = np.arange(1, max_batch(ctx, "light") + 1)
        ax.plot(bl, speedup(bl, ctx, 4, drafter="light"), color=PALETTE[3], linestyle="--",
                label="light drafter (c = 0.05), k = 4, acc. 0.8")
        ax.axhline(1.0, color="#000000", linewidth=1, linestyle="--")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("batch size (sequences)")
        ax.set_ylabel("speedup over plain decoding")
        ax.set_title(f"context {ctx} tokens")
        ax.set_ylim(0, 3.5)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=2, fontsize=8)
    save(fig, "batching-speculative", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: the two-column legend is wider than the phone; one column, below the panels."""
    for legend in list(fig.legends):
        legend.remove()
    fig.legend(*fig.axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=1, fontsize=7.5)
    fig.set_size_inches(fig.get_size_inches()[0], fig.get_size_inches()[1] + 1.4)


if __name__ == "__main__":
    main()
