"""Share of a model's parameters held by the token embedding and output head, versus vocabulary size.

The vocabulary enters a decoder-only transformer twice: the input embedding table (V x d) and the
output projection (d x V), which some models tie into one matrix. Everything else (the "body") does
not depend on V. Bodies are computed from published Llama 3 shapes:
- 1B: Llama 3.2 1B, d=2048, 16 layers, 32 query / 8 key-value heads of size 64, FFN 8192,
  tied embeddings (Hugging Face model configuration, meta-llama/Llama-3.2-1B).
- 8B: Llama 3 8B, d=4096, 32 layers, 32 / 8 heads of size 128, FFN 14336, untied
  (Grattafiori et al. 2024, Table 3; config.json of meta-llama/Meta-Llama-3-8B).
- 70B: Llama 3 70B, d=8192, 80 layers, 64 / 8 heads of size 128, FFN 28672, untied
  (Grattafiori et al. 2024, Table 3).
Norm weights are counted; there are no biases.

Besides Llama 2's 32,000 and Llama 3's 128,256 entries, the script reports 262,144 entries, the size
of the Gemma 3 and Gemma 4 tokenizers (Gemma Team 2025, "262k entries"; google/gemma-4-e2b-it
configuration, vocab_size 262,144), to show what the 2025-26 vocabulary sizes cost on these bodies.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

# name: (d_model, layers, query heads, kv heads, head dim, ffn width, tied embeddings)
SHAPES = {
    "1B body (Llama 3.2 1B shape, tied)": (2048, 16, 32, 8, 64, 8192, True),
    "8B body (Llama 3 8B shape)": (4096, 32, 32, 8, 128, 14336, False),
    "70B body (Llama 3 70B shape)": (8192, 80, 64, 8, 128, 28672, False),
}


def body_params(d: int, layers: int, hq: int, hkv: int, hd: int, ffn: int) -> int:
    attn = d * hq * hd * 2 + d * hkv * hd * 2  # W_q, W_o and W_k, W_v
    mlp = 3 * d * ffn  # SwiGLU gate, up, down
    norms = 2 * d
    return layers * (attn + mlp + norms) + d  # plus the final norm


def vocab_params(vocab: int, d: int, tied: bool) -> int:
    return vocab * d * (1 if tied else 2)


def phone_layout(fig) -> None:
    """Phone layout: a shorter axis label, smaller notes, the notes moved off the 1B curve."""
    ax = fig.axes[0]
    ax.set_ylabel("embedding + output head, % of params", fontsize=9.5)
    ax.set_xlabel(ax.get_xlabel(), fontsize=9.5)
    ax.tick_params(labelsize=9)
    for text in ax.texts:
        text.set_fontsize(8)
    ax.texts[0].set_position((32_000, 39))  # clear of the 1B curve, below the legend
    ax.texts[1].set_position((128_256, 39))
    ax.texts[2].set_position((262_144, 13))
    ax.legend(loc="upper left", frameon=False, fontsize=8)


def main() -> None:
    vocabs = np.geomspace(8_000, 512_000, 200)
    fig, ax = new_figure(width=7.0, height=4.0)
    for name, (d, layers, hq, hkv, hd, ffn, tied) in SHAPES.items():
        body = body_params(d, layers, hq, hkv, hd, ffn)
        share = [100 * vocab_params(int(v), d, tied) / (body + vocab_params(int(v), d, tied)) for v in vocabs]
        line, = ax.plot(vocabs, share, label=name)
        for v in (32_000, 128_256, 262_144):
            emb = vocab_params(v, d, tied)
            total = body + emb
            print(f"{name}: V={v:>7,d}  body {body / 1e9:6.3f}B  vocab matrices {emb / 1e9:6.3f}B  "
                  f"total {total / 1e9:6.3f}B  vocab share {100 * emb / total:5.1f}%")
        v = 128_256
        emb = vocab_params(v, d, tied)
        ax.plot([v], [100 * emb / (body + emb)], "o", color=line.get_color())
    ax.axvline(32_000, color="0.5", linestyle=":", linewidth=1)
    ax.axvline(128_256, color="0.5", linestyle=":", linewidth=1)
    ax.text(32_000, 33, " 32,000\n (Llama 2)", fontsize=9, color="0.3")
    ax.text(128_256, 33, " 128,256\n (Llama 3)", fontsize=9, color="0.3")
    ax.axvline(262_144, color="0.5", linestyle=":", linewidth=1)
    ax.text(262_144, 45, " 262,144\n (Gemma 3, 4)", fontsize=9, color="0.3")
    ax.set_xscale("log")
    ticks = [8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000]
    ax.set_xticks(ticks, [f"{t // 1000}k" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("vocabulary size V (log scale)")
    ax.set_ylabel("embedding + output head, % of parameters")
    ax.set_ylim(0, 60)
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    save(fig, "tokenization-vocab-params", phone=phone_layout)


if __name__ == "__main__":
    main()
