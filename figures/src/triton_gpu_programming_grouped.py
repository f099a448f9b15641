"""Launch order of output tiles for a tiled matmul: row-major versus grouped ordering.

For a 9 x 9 grid of output tiles and K split into 9 tiles, count how many input tiles
the first 9 programs must load (tiles of A plus tiles of B), using the same program-id
to tile mapping as the grouped matmul kernel in docs/series/triton-gpu-programming.md.
Writes figures/triton-gpu-programming-grouped.svg and prints the counts quoted in the text.
"""

from __future__ import annotations

import matplotlib.patches as mpatches
import numpy as np

from _style import PALETTE, new_figure, save

GRID_M = GRID_N = 9  # output tiles along M and N
K_TILES = 9  # tiles along the reduction dimension
WAVE = 9  # programs assumed to run at the same time
GROUP_M = 3


def tile_of(pid: int, group_m: int) -> tuple[int, int]:
    """Map a 1-D program id to an output tile (pid_m, pid_n); group_m=1 is row-major."""
    per_group = group_m * GRID_N
    group = pid // per_group
    first_m = group * group_m
    size_m = min(GRID_M - first_m, group_m)
    local = pid % per_group
    return first_m + local % size_m, local // size_m


def loads_for_first_wave(group_m: int) -> tuple[int, int]:
    tiles = [tile_of(p, group_m) for p in range(WAVE)]
    rows = {m for m, _ in tiles}
    cols = {n for _, n in tiles}
    return len(rows) * K_TILES, len(cols) * K_TILES


def order_grid(group_m: int) -> np.ndarray:
    grid = np.zeros((GRID_M, GRID_N), dtype=int)
    for pid in range(GRID_M * GRID_N):
        m, n = tile_of(pid, group_m)
        grid[m, n] = pid
    return grid


def main() -> None:
    fig, axes = new_figure(width=8.0, height=4.3, ncols=2)
    for ax, (label, group_m) in zip(axes, [("Row-major order", 1), (f"Grouped order (GROUP_M = {GROUP_M})", GROUP_M)], strict=True):
        grid = order_grid(group_m)
        a_loads, b_loads = loads_for_first_wave(group_m)
        print(f"{label}: first {WAVE} programs load {a_loads} A tiles + {b_loads} B tiles = {a_loads + b_loads}")
        ax.set_xlim(0, GRID_N)
        ax.set_ylim(GRID_M, 0)
        ax.set_aspect("equal")
        ax.grid(False)
        for m in range(GRID_M):
            for n in range(GRID_N):
                pid = grid[m, n]
                first = pid < WAVE
                ax.add_patch(
                    mpatches.Rectangle(
                        (n, m),
                        1,
                        1,
                        facecolor=PALETTE[0] if first else "white",
                        edgecolor="#555555",
                        linewidth=0.6,
                    )
                )
                ax.text(n + 0.5, m + 0.5, str(pid), ha="center", va="center", fontsize=8, color="white" if first else "#333333")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("output tile column (pid_n)")
        ax.set_ylabel("output tile row (pid_m)")
        ax.set_title(f"{label}\nfirst {WAVE} programs: {a_loads} + {b_loads} = {a_loads + b_loads} tile loads", fontsize=10)
    save(fig, "triton-gpu-programming-grouped")


if __name__ == "__main__":
    main()
