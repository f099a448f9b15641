"""Shared plot style for data figures: deterministic SVG output readable in both palettes.

Every script in figures/src/ imports `new_figure` and `save` so that figures look alike
and re-running `make figures` on unchanged inputs leaves the SVG files byte-identical.
"""

from __future__ import annotations

import itertools
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.text import Text

FIGURES_DIR = Path(__file__).resolve().parent.parent

# Colour-blind-safe palette (Okabe and Ito), in a fixed order.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

plt.rcParams.update(
    {
        "svg.hashsalt": "folio",
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 11,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
    }
)


def new_figure(width: float = 7.0, height: float = 4.0, ncols: int = 1):
    """A figure with `ncols` side-by-side axes (a single Axes when ncols is 1)."""
    fig, axes = plt.subplots(1, ncols, figsize=(width, height), constrained_layout=True)
    return fig, axes


# The phone layout: 4 inches (288 pt) wide, so that on a 390 px phone (a 358 px column) even
# 7.5 pt annotations render at 9.3 px and 11 pt labels at 13.7 px.
NARROW_WIDTH = 4.0
NARROW_PANEL_HEIGHT = 3.0
NARROW_TITLE_CHARACTERS = 40
NARROW_MIN_FONT_PT = 7.3


def save(fig: Figure, name: str, phone: Callable[[Figure], None] | None = None) -> Path:
    """Write figures/<name>.svg and its phone layout figures/<name>-narrow.svg (panels stacked
    in one column, 4 inches wide), without timestamps, so the output is reproducible. The site
    serves the narrow file to narrow screens (folio's plugin wraps the image in <picture>).
    `phone`, if given, adjusts the stacked figure (move a legend inside, shorten labels) before
    the readability checks; it never touches the wide figure, which is written first."""
    out = FIGURES_DIR / f"{name}.svg"
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    narrow = FIGURES_DIR / f"{name}-narrow.svg"
    if stack_for_phones(fig, phone):
        fig.savefig(narrow, format="svg", metadata={"Date": None, "Creator": None})
    else:  # the panels do not fit a phone's width: phones get the wide figure, scaled down
        narrow.unlink(missing_ok=True)
    plt.close(fig)
    return out


def stack_for_phones(fig: Figure, phone: Callable[[Figure], None] | None = None) -> bool:
    """Re-lay a figure's panels in one column at the phone width, and say whether the result is
    readable: every panel keeps at least 55% of the width and 1.3 inches of height once titles,
    labels and legends are placed. Axes that share a grid cell (twin axes) stay together; axes
    placed by hand (insets) keep their place in their panel."""
    cells: dict[tuple[int, int, int, int], list] = {}
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is not None:
            key = (spec.rowspan.start, spec.colspan.start, spec.rowspan.stop, spec.colspan.stop)
            cells.setdefault(key, []).append(ax)
    for text in fig.findobj(Text):  # at 358 px a 288 pt figure shows 1 pt as 1.24 px: 7.3 pt is 9 px
        # math text sets sub- and superscripts at 70% of the size
        minimum = NARROW_MIN_FONT_PT / 0.7 if "$" in text.get_text() else NARROW_MIN_FONT_PT
        if text.get_fontsize() < minimum:
            text.set_fontsize(minimum)
    suptitle = fig.get_suptitle()
    if len(suptitle) > NARROW_TITLE_CHARACTERS:
        fig.suptitle(textwrap.fill(suptitle, NARROW_TITLE_CHARACTERS))
    for ax in fig.axes:  # a title wider than its narrow panel would be cut off
        for loc in ("center", "left", "right"):
            title = ax.get_title(loc=loc)
            if len(title) > NARROW_TITLE_CHARACTERS:
                ax.set_title(textwrap.fill(title, NARROW_TITLE_CHARACTERS), loc=loc)
    width, height = fig.get_size_inches()
    rows = len(cells)
    if rows > 1:
        grid = fig.add_gridspec(rows, 1)
        for row, key in enumerate(sorted(cells)):
            for ax in cells[key]:
                ax.set_subplotspec(grid[row, 0])
    panel = min(height, NARROW_PANEL_HEIGHT) if rows > 1 else min(height * 1.1, NARROW_WIDTH * 0.85)
    fig.set_size_inches(NARROW_WIDTH, panel * max(rows, 1))
    if phone is not None:  # the script's own changes for the phone layout (legend inside, shorter labels)
        phone(fig)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    if any("constrained_layout not applied" in str(w.message) for w in caught):
        return False
    renderer = fig.canvas.get_renderer()
    inside = fig.get_tightbbox(renderer)  # in inches: legends and titles included
    width, height = fig.get_size_inches()
    if inside.x0 < -0.05 or inside.y0 < -0.05 or inside.x1 > width + 0.05 or inside.y1 > height + 0.05:
        return False
    for ax in fig.axes:  # neighbouring tick labels must not run into each other
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [t.get_window_extent(renderer) for t in labels if t.get_visible() and t.get_text()]
            if any(a.overlaps(b) for a, b in itertools.pairwise(boxes)):
                return False
    for axes in cells.values():
        box = axes[0].get_position()
        if box.width < 0.55 or box.height * height < 1.3:
            return False
    return True
