"""Diagram: how one Triton program computes one BLOCK_M x BLOCK_N tile of C = A @ B.

The program walks along K in steps of BLOCK_K, loading one tile of A and one tile of B per
step and accumulating their product. Drawn with the shared style; no data.
Writes figures/triton-gpu-programming-tiling.svg.
"""

from __future__ import annotations

import matplotlib.patches as mpatches

from _style import PALETTE, new_figure, save

M_TILES, N_TILES, K_TILES = 4, 5, 6  # tiles along M, N and K in the drawing
PID_M, PID_N = 2, 3  # the highlighted program


def grid(ax, x0, y0, rows, cols, label, highlight, color):
    for r in range(rows):
        for c in range(cols):
            hl = highlight(r, c)
            ax.add_patch(
                mpatches.Rectangle(
                    (x0 + c, y0 - r - 1),
                    1,
                    1,
                    facecolor=color if hl else "white",
                    alpha=0.85 if hl else 1.0,
                    edgecolor="#555555",
                    linewidth=0.6,
                )
            )
    ax.text(x0 + cols / 2, y0 + 0.35, label, ha="center", va="bottom", fontsize=11)


def phone_layout(fig) -> None:
    """Phone layout: the program's note goes below the matrices instead of to their right."""
    ax = fig.axes[0]
    cx, cy = K_TILES + 1.5, M_TILES
    note = next(t for t in ax.texts if t.get_text().startswith("program"))
    note.xy = (cx + PID_N + 0.5, cy - PID_M - 1)  # the bottom edge of the acc tile
    note.xyann = (-0.3, -1.2)
    ax.set_xlim(-0.5, cx + N_TILES + 0.5)
    ax.set_ylim(-2.8, M_TILES + K_TILES + 2.3)
    fig.set_size_inches(4.0, 4.7)


def main() -> None:
    fig, ax = new_figure(width=7.5, height=4.6)
    ax.set_aspect("equal")
    ax.axis("off")
    # B sits above C, A sits left of C (the usual picture of a matrix product).
    bx, by = K_TILES + 1.5, M_TILES + K_TILES + 1.1
    ax_, ay = 0, M_TILES
    cx, cy = bx, M_TILES
    grid(ax, bx, by, K_TILES, N_TILES, "B  (K x N)", lambda r, c: c == PID_N, PALETTE[2])
    grid(ax, ax_, ay, M_TILES, K_TILES, "A  (M x K)", lambda r, c: r == PID_M, PALETTE[1])
    grid(ax, cx, cy, M_TILES, N_TILES, "C  (M x N)", lambda r, c: (r, c) == (PID_M, PID_N), PALETTE[0])
    # Number the K steps on the highlighted strips.
    for k in range(K_TILES):
        ax.text(ax_ + k + 0.5, ay - PID_M - 0.5, f"k{k}", ha="center", va="center", fontsize=8, color="white")
        ax.text(bx + PID_N + 0.5, by - k - 0.5, f"k{k}", ha="center", va="center", fontsize=8, color="white")
    ax.text(cx + PID_N + 0.5, cy - PID_M - 0.5, "acc", ha="center", va="center", fontsize=8, color="white")
    ax.annotate(
        "program (pid_m=2, pid_n=3):\nfor each k step, load one A tile and one B tile,\nacc += tl.dot(a, b); store acc once at the end",
        xy=(cx + PID_N + 1, cy - PID_M - 0.5),
        xytext=(cx + N_TILES + 0.6, cy - 1.0),
        fontsize=9,
        va="top",
        arrowprops={"arrowstyle": "->", "color": "#333333"},
    )
    ax.set_xlim(-0.5, cx + N_TILES + 8.5)
    ax.set_ylim(-0.5, by + 1.2)
    save(fig, "triton-gpu-programming-tiling", phone=phone_layout)


if __name__ == "__main__":
    main()
