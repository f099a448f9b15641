"""Total versus active parameters of open-weight models, colored by release year.

The data below is the table of the article `articles/open-weights-landscape.md`, committed
here so the figure can be regenerated. Each row gives the model, the year its weights were
released, total and active parameters in billions as stated by the source cited in the
article's table (dense models have active = total). Where a source states only a rounded
figure, the rounded figure is used (for example Mixtral 8x7B: 47B total, 13B active, per its
paper; its weights appeared in December 2023, a month before the paper).

The script plots active against total parameters on log axes with lines of constant active
fraction, and prints the active fraction of every model and, per release year, the number of
mixture-of-experts rows, their range and median. Because each year has only a handful of
hand-picked rows, it also prints how the medians move when DeepSeek-R1 (DeepSeek-V3's
architecture) is left out and when Mixtral 8x7B is dated by its paper (2024) instead.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

# name, release year, total (B), active (B)
MODELS = [
    ("Mistral 7B", 2023, 7.0, 7.0),
    ("Mixtral 8x7B", 2023, 47.0, 13.0),
    ("Mixtral 8x22B", 2024, 141.0, 39.0),
    ("DeepSeek-V2", 2024, 236.0, 21.0),
    ("Llama 3.1 405B", 2024, 405.0, 405.0),
    ("Phi-4", 2024, 14.0, 14.0),
    ("DeepSeek-V3", 2024, 671.0, 37.0),
    ("DeepSeek-R1", 2025, 671.0, 37.0),
    ("Gemma 3 27B", 2025, 27.0, 27.0),
    ("OLMo 2 32B", 2025, 32.0, 32.0),
    ("Llama 4 Scout", 2025, 109.0, 17.0),
    ("Kimi K2", 2025, 1000.0, 32.0),
    ("Llama 4 Maverick", 2025, 400.0, 17.0),
    ("Qwen3-235B-A22B", 2025, 235.0, 22.0),
    ("gpt-oss-120b", 2025, 117.0, 5.1),
    ("Olmo 3 32B", 2025, 32.0, 32.0),
    ("Mistral Large 3", 2025, 675.0, 41.0),
    ("Qwen3.5-397B-A17B", 2026, 397.0, 17.0),
    ("Gemma 4 31B", 2026, 31.0, 31.0),
    ("Gemma 4 26B A4B", 2026, 26.0, 4.0),
    ("DeepSeek-V4-Flash", 2026, 284.0, 13.0),
    ("DeepSeek-V4-Pro", 2026, 1600.0, 49.0),
]

YEAR_COLOR = {2023: "C6", 2024: "C0", 2025: "C1", 2026: "C2"}
# label offsets in points (dx, dy) for the models that get a text label
LABELED = {
    "Mistral 7B": (6, -4), "Mixtral 8x7B": (6, -4), "Llama 3.1 405B": (6, -4),
    "Llama 4 Scout": (-4, 6), "gpt-oss-120b": (6, -4), "Gemma 4 26B A4B": (6, -4),
    "Llama 4 Maverick": (6, -11), "Qwen3.5-397B-A17B": (6, 4), "DeepSeek-V3": (-6, -12),
    "Mistral Large 3": (-6, 6), "DeepSeek-V4-Pro": (-10, 7), "DeepSeek-V4-Flash": (6, -6),
    "Kimi K2": (-6, -12),
}


def main() -> None:
    fig, ax = new_figure(width=7.2, height=4.8)
    totals = np.array([m[2] for m in MODELS])
    grid = np.logspace(np.log10(3), np.log10(3000), 50)
    for frac, style in ((1.0, "-"), (0.1, "--"), (0.03, ":"), (0.01, "-.")):
        ax.plot(grid, frac * grid, style, color="0.6", linewidth=1)
        x_lab = min(2200, 700 / frac)
        ax.text(x_lab, frac * x_lab * 1.12, f"{frac:.0%} active", fontsize=8, color="0.4",
                ha="right")
    for year, color in YEAR_COLOR.items():
        pts = [m for m in MODELS if m[1] == year]
        ax.scatter([m[2] for m in pts], [m[3] for m in pts], s=36, color=color,
                   label=str(year), zorder=3, edgecolor="white", linewidth=0.5)
    for name, _, total, active in MODELS:
        if name in LABELED:
            dx, dy = LABELED[name]
            ax.annotate(name, (total, active), textcoords="offset points", xytext=(dx, dy),
                        fontsize=7.5, ha="left" if dx > 0 else "right")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(3, 3000)
    ax.set_ylim(2, 1000)
    ax.set_xlabel("total parameters (billions)")
    ax.set_ylabel("active parameters per token (billions)")
    ax.set_title("Open-weight models in the table: active vs total parameters")
    ax.legend(title="release year", fontsize=8, title_fontsize=8, frameon=False,
              loc="upper left")

    for name, year, total, active in MODELS:
        print(f"{name:20s} {year} total={total:7.1f}B active={active:6.1f}B "
              f"fraction={active / total:6.1%}")
    def by_year(models):
        out = {}
        for _, y, t, a in models:
            if a < t:
                out.setdefault(y, []).append(a / t)
        return out

    for year, fr in sorted(by_year(MODELS).items()):
        print(f"{year}: {len(fr)} MoE rows, active fraction {min(fr):.1%}-{max(fr):.1%}, "
              f"median {np.median(fr):.1%}")
    no_r1 = [m for m in MODELS if m[0] != "DeepSeek-R1"]
    paper = [(n, 2024 if n == "Mixtral 8x7B" else y, t, a) for n, y, t, a in MODELS]
    for label, models in (("without DeepSeek-R1", no_r1), ("Mixtral 8x7B dated 2024", paper)):
        meds = ", ".join(f"{y} {np.median(fr):.1%}" for y, fr in sorted(by_year(models).items()))
        print(f"medians {label}: {meds}")
    moe = [m for m in MODELS if m[3] < m[2]]
    print(f"MoE rows: {len(moe)} of {len(MODELS)}; largest total {totals.max():.0f}B")
    save(fig, "open-weights-landscape-params")


if __name__ == "__main__":
    main()
