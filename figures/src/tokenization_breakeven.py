"""Compression gain a larger vocabulary must deliver before it lowers compute per character.

Forward compute per token is modeled as 2 * (N_body + V * d) floating-point operations: two per
multiply-accumulate over the body's weights and over the d x V output head. The input embedding is a
table lookup and costs no arithmetic. Attention-score FLOPs, which grow with context length in
tokens, are left out; including them would favor larger vocabularies further, since a better
compression ratio also shortens the context.

Per character the cost is that per-token figure divided by c(V), the tokenizer's characters per
token. Moving from a baseline vocabulary V0 to V lowers compute per character only if
c(V) / c(V0) > (N_body + V d) / (N_body + V0 d): the break-even compression ratio plotted here.

Body sizes come from the same published shapes as tokenization_vocab_params.py (Llama 3.2 1B,
Llama 3 8B and 70B). The marked point is the measured English compression of the Llama 3
tokenizer against the Llama 2 tokenizer, 3.94 versus 3.17 characters per token
(Grattafiori et al. 2024, Section 3.2). It is drawn as one point at 128,256 entries, not as a line
across all sizes, because the two tokenizers also differ in algorithm, training corpus and
pre-tokenization: the gain belongs to that whole change, not to vocabulary size alone.

Sensitivity: if only part of the measured gain came from the larger vocabulary, the conclusion for a
body flips once that part falls below its break-even gain. The script prints the break-even as a
share of the measured gain in log terms, log(break-even) / log(measured).
"""

from __future__ import annotations

import math

import numpy as np

from _style import new_figure, save

V0 = 32_000
LLAMA2_CPT, LLAMA3_CPT = 3.17, 3.94  # characters per token on English, Grattafiori et al. (2024)

# name: (d_model, layers, query heads, kv heads, head dim, ffn width), as in tokenization_vocab_params.py
SHAPES = {
    "1B body (d = 2048)": (2048, 16, 32, 8, 64, 8192),
    "8B body (d = 4096)": (4096, 32, 32, 8, 128, 14336),
    "70B body (d = 8192)": (8192, 80, 64, 8, 128, 28672),
}


def body_params(d: int, layers: int, hq: int, hkv: int, hd: int, ffn: int) -> int:
    attn = d * hq * hd * 2 + d * hkv * hd * 2
    return layers * (attn + 3 * d * ffn + 2 * d) + d


def flops_per_token(body: int, vocab: int, d: int) -> float:
    return 2.0 * (body + vocab * d)


def phone_layout(fig) -> None:
    """Phone layout: shorter axis labels, a narrower annotation, smaller legend."""
    ax = fig.axes[0]
    ax.set_xlabel("vocabulary size V (log scale), baseline 32,000", fontsize=9.5)
    ax.set_ylabel("break-even gain c(V) / c(32,000)", fontsize=9.5)
    ax.tick_params(labelsize=9)
    note = ax.texts[0]
    note.set_text("Llama 2 → Llama 3 tokenizer,\nEnglish: 3.94 / 3.17\n(vocabulary, algorithm, corpus\n"
                  "and pre-tokenizer all changed)")
    note.set_fontsize(8)
    note.set_position((33_500, 1.45))
    ax.legend(loc="upper left", frameon=False, fontsize=8)


def main() -> None:
    measured = LLAMA3_CPT / LLAMA2_CPT
    print(f"measured compression gain, Llama 3 vs Llama 2 tokenizer: {measured:.4f}")
    vocabs = np.geomspace(V0, 512_000, 200)
    fig, ax = new_figure(width=7.0, height=4.0)
    for name, shape in SHAPES.items():
        d, body = shape[0], body_params(*shape)
        ratio = [flops_per_token(body, int(v), d) / flops_per_token(body, V0, d) for v in vocabs]
        line, = ax.plot(vocabs, ratio, label=name)
        f32 = flops_per_token(body, V0, d)
        f128 = flops_per_token(body, 128_256, d)
        need = f128 / f32
        per_kchar_32 = 1000 / LLAMA2_CPT * f32
        per_kchar_128 = 1000 / LLAMA3_CPT * f128
        ax.plot([128_256], [need], "o", color=line.get_color())
        print(f"{name}: GFLOP/token {f32 / 1e9:.2f} (V=32,000) -> {f128 / 1e9:.2f} (V=128,256); "
              f"break-even gain {need:.4f}; TFLOP per 1,000 chars {per_kchar_32 / 1e12:.3f} -> "
              f"{per_kchar_128 / 1e12:.3f} ({100 * (per_kchar_128 / per_kchar_32 - 1):+.1f}%); "
              f"flips if the vocabulary supplies under {100 * math.log(need) / math.log(measured):.0f}% "
              f"of the log gain")
    ax.plot([128_256], [measured], marker="*", markersize=13, color="0.2", linestyle="none")
    ax.annotate("Llama 2 → Llama 3 tokenizer, English: 3.94 / 3.17\n"
                "(vocabulary, algorithm, corpus and\npre-tokenizer all changed)",
                xy=(128_256, measured), xytext=(36_000, 1.42), fontsize=9, color="0.2",
                arrowprops={"arrowstyle": "->", "color": "0.3", "linewidth": 1})
    ax.axvline(128_256, color="0.5", linestyle=":", linewidth=1)
    ax.set_xscale("log")
    ticks = [32_000, 64_000, 128_256, 256_000, 512_000]
    ax.set_xticks(ticks, [f"{t // 1000}k" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("vocabulary size V (log scale), baseline 32,000")
    ax.set_ylabel("break-even compression gain c(V) / c(32,000)")
    ax.set_ylim(0.95, 2.0)
    ax.legend(loc="upper left", frameon=False, fontsize=9, bbox_to_anchor=(0.0, 0.92))
    save(fig, "tokenization-breakeven", phone=phone_layout)


if __name__ == "__main__":
    main()
