"""Diagram: one decode batch that mixes requests for different LoRA adapters.

Writes figures/multi-lora-serving-batch.svg. No data: the layout is fixed, so
re-running the script reproduces the file byte for byte.

Left: the running batch as it arrives from the scheduler, one row per request,
colored by the adapter the request asked for (or none, for the base model).
Middle: the rows grouped into contiguous segments, one per adapter, and the
shared base projection x W computed once for the whole batch.
Right: the low-rank path x A_k B_k computed per segment by a segmented kernel
(SGMV in Punica, a similar batched kernel in S-LoRA), then added to x W.
"""

from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, Rectangle

from _style import PALETTE, new_figure, save

ADAPTER_COLOR = {"A": PALETTE[0], "B": PALETTE[1], "C": PALETTE[2], "-": "#BBBBBB"}
BATCH = ["A", "B", "-", "C", "A", "C", "B", "C"]  # adapter id per request, arrival order


def row_block(ax, x, y, w, h, color, text, text_color="white"):
    ax.add_patch(Rectangle((x, y), w, h, facecolor=color, edgecolor="white", linewidth=1.5))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=9, color=text_color)


def arrow(ax, x0, y0, x1, y1):
    ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=14, color="0.25", linewidth=1.2))


def main() -> None:
    fig, ax = new_figure(width=9.0, height=4.2)
    ax.set_xlim(0, 10.6)
    ax.set_ylim(-0.9, 10.3)
    ax.axis("off")
    h = 1.0
    top = 8.0

    # 1. batch in arrival order
    ax.text(1.0, 9.65, "Running batch\n(arrival order)", ha="center", va="center", fontsize=10)
    for i, a in enumerate(BATCH):
        label = f"req {i}: " + ("base" if a == "-" else f"adapter {a}")
        row_block(ax, 0.0, top - i * h, 2.0, h * 0.92, ADAPTER_COLOR[a], label, "black" if a == "-" else "white")

    arrow(ax, 2.15, 4.5, 2.85, 4.5)
    ax.text(2.5, 5.0, "group", ha="center", fontsize=8)

    # 2. grouped rows and the shared base GEMM
    order = sorted(range(len(BATCH)), key=lambda i: ("ABC-".index(BATCH[i]), i))
    ax.text(4.0, 9.65, "Rows grouped\nby adapter", ha="center", va="center", fontsize=10)
    for k, i in enumerate(order):
        a = BATCH[i]
        row_block(ax, 3.0, top - k * h, 2.0, h * 0.92, ADAPTER_COLOR[a], f"x{i}", "black" if a == "-" else "white")

    ax.add_patch(Rectangle((5.6, top - 7 * h), 1.6, 8 * h, facecolor="#F2F2F2", edgecolor="0.3", linewidth=1.2))
    ax.text(6.4, 4.45, "x W\n(base weights,\none GEMM for\nall 8 rows)", ha="center", va="center", fontsize=9)
    arrow(ax, 5.05, 4.5, 5.55, 4.5)
    ax.text(6.4, 9.65, "Shared\nbase path", ha="center", va="center", fontsize=10)

    # 3. per-segment low-rank path
    ax.text(8.9, 9.65, "Low-rank path per segment\n(segmented kernel)", ha="center", va="center", fontsize=10)
    start = 0
    for a in "ABC":
        n = sum(1 for b in BATCH if b == a)
        y0 = top - (start + n - 1) * h
        row_block(ax, 7.8, y0, 2.2, n * h - 0.08, ADAPTER_COLOR[a], f"x A_{a} B_{a}\n({n} rows)")
        start += n
    ax.add_patch(Rectangle((7.8, top - start * h), 2.2, h * 0.92, facecolor="white", edgecolor="0.5", linewidth=1.0, linestyle="--"))
    ax.text(8.9, top - start * h + 0.46, "base-only row: skipped", ha="center", va="center", fontsize=9)
    arrow(ax, 7.25, 4.5, 7.75, 4.5)

    ax.text(5.3, -0.6, "output rows:  y_i = x_i W + s · x_i A_k B_k   (k = adapter of request i)", ha="center", va="center", fontsize=10)
    save(fig, "multi-lora-serving-batch", phone=phone_layout)


PHONE_TEXT = {  # shorter or wrapped labels for the 4-inch phone layout
    "Running batch\n(arrival order)": "Running\nbatch\n(arrival)",
    "Rows grouped\nby adapter": "Grouped\nby adapter",
    "Low-rank path per segment\n(segmented kernel)": "Low-rank\npath per\nsegment",
    "base-only row: skipped": "base row:\nskipped",
    "x W\n(base weights,\none GEMM for\nall 8 rows)": "x W\n(base\nweights,\none GEMM\nfor all\n8 rows)",
    "output rows:  y_i = x_i W + s · x_i A_k B_k   (k = adapter of request i)":
        "output rows:  y_i = x_i W + s · x_i A_k B_k\n(k = adapter of request i)",
}


def phone_layout(fig) -> None:
    """Phone layout: taller, request labels shortened to the adapter letter, headers wrapped."""
    (ax,) = fig.axes
    fig.set_size_inches(4.0, 5.0)
    ax.set_ylim(-1.6, 10.9)
    for text in ax.texts:
        label = text.get_text()
        if label.startswith("req "):
            label = label.replace("adapter ", "")
        text.set_text(PHONE_TEXT.get(label, label))
        text.set_fontsize(7.5 if text.get_fontsize() < 10 else 8)


if __name__ == "__main__":
    main()
