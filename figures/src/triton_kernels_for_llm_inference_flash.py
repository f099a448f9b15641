"""Diagram: one program of the FlashAttention-style forward kernel (causal case).

The program owns one block of queries (a row of score tiles). It walks along the key
blocks j, computes the score tile S_ij = Q_i K_j^T on chip, folds it into the running
max m, running sum l and output accumulator acc, and never writes S to memory. Tiles above
the diagonal are skipped by the causal loop bound. Drawn with the shared style; no data.
Writes figures/triton-kernels-for-llm-inference-flash.svg.
"""

from __future__ import annotations

import matplotlib.patches as mpatches

from _style import PALETTE, new_figure, save

NB = 6  # query blocks = key blocks in the drawing
ROW = 3  # the highlighted program's query block


def box(ax, x, y, w, h, color, text="", text_color="white", alpha=1.0, hatch=None):
    ax.add_patch(mpatches.Rectangle((x, y), w, h, facecolor=color, edgecolor="#555555", linewidth=0.6, alpha=alpha, hatch=hatch))
    if text:
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=8, color=text_color)


def phone_layout(fig) -> None:
    """Phone layout: the program's pseudocode goes below the tile grid instead of to its right."""
    ax = fig.axes[0]
    x0, y0 = 2.0, 2.0
    code = next(t for t in ax.texts if t.get_text().startswith("program for"))
    code.set_position((x0 - 1.3, y0 - 2.3))
    ax.set_xlim(-0.2, x0 + NB + 1.7)
    ax.set_ylim(y0 - 6.0, y0 + NB + 2.1)
    fig.set_size_inches(4.0, 5.9)


def main() -> None:
    fig, ax = new_figure(width=7.8, height=5.0)
    ax.set_aspect("equal")
    ax.axis("off")
    x0, y0 = 2.0, 2.0  # lower-left corner of the score grid
    for i in range(NB):
        for j in range(NB):
            y = y0 + (NB - 1 - i)
            if j > i:
                box(ax, x0 + j, y, 1, 1, "#eeeeee", hatch="///")
            elif i == ROW:
                box(ax, x0 + j, y, 1, 1, PALETTE[0], f"S{i}{j}")
            else:
                box(ax, x0 + j, y, 1, 1, "white")
    ax.text(x0 + NB / 2, y0 + NB + 1.55, "K blocks  j = 0 .. 5", ha="center", fontsize=10)
    for j in range(NB):
        box(ax, x0 + j, y0 + NB + 0.3, 1, 1, PALETTE[2] if j <= ROW else "white", f"K{j}" if j <= ROW else "", alpha=0.9)
        box(ax, x0 + j, y0 - 1.3, 1, 1, PALETTE[4] if j <= ROW else "white", f"V{j}" if j <= ROW else "", text_color="black", alpha=0.9)
    ax.text(x0 + NB / 2, y0 - 1.45, "V blocks (same key index j)", ha="center", va="top", fontsize=10)
    for i in range(NB):
        y = y0 + (NB - 1 - i)
        box(ax, x0 - 1.3, y, 1, 1, PALETTE[1] if i == ROW else "white", "Q3" if i == ROW else "")
    ax.text(x0 - 0.8, y0 + NB + 0.5, "Q blocks", ha="center", fontsize=10)
    yr = y0 + (NB - 1 - ROW)
    box(ax, x0 + NB + 0.5, yr, 1, 1, PALETTE[3], "O3")
    ax.annotate("", xy=(x0 + NB + 0.5, yr + 0.5), xytext=(x0 + ROW + 1, yr + 0.5), arrowprops={"arrowstyle": "->", "color": "#333333"})
    ax.text(
        x0 + NB + 1.9,
        yr + 2.6,
        "program for query block 3:\n"
        "for j = 0 .. 3 (causal bound)\n"
        "  S = Q3 K_j^T * scale (on chip)\n"
        "  m_new = max(m, rowmax(S))\n"
        "  P = exp(S - m_new)\n"
        "  l = l*exp(m - m_new) + rowsum(P)\n"
        "  acc = acc*exp(m - m_new) + P V_j\n"
        "  m = m_new\n"
        "write O3 = acc / l once",
        fontsize=8.5,
        va="top",
        family="monospace",
    )
    ax.text(
        x0 + NB - 1.0,
        y0 + NB - 1.0,
        "skipped\n(causal)",
        ha="center",
        va="center",
        fontsize=8,
        color="#222222",
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
    )
    ax.set_xlim(-0.2, x0 + NB + 9.2)
    ax.set_ylim(y0 - 2.4, y0 + NB + 2.1)
    save(fig, "triton-kernels-for-llm-inference-flash", phone=phone_layout)


if __name__ == "__main__":
    main()
