"""Shared plot style for data figures: deterministic SVG output readable in both palettes.

Every script in figures/src/ imports `new_figure` and `save` so that figures look alike
and re-running `make figures` on unchanged inputs leaves the SVG files byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

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


def save(fig: Figure, name: str) -> Path:
    """Write figures/<name>.svg without timestamps, so the output is reproducible."""
    out = FIGURES_DIR / f"{name}.svg"
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return out
