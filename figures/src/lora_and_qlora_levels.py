"""NF4 versus int4 levels and code usage on normally distributed weights (part 2 of the series).

The data are not typed in: the script executes the Python listings of
docs/series/lora-and-qlora.md in page order, exactly as the page's tests do, and
uses the level tables (`nf4`, `int4`), the blockwise `quantize` function and the
seeded normal weight matrix (`w_normal`, 1024 x 1024, std 0.02) that the listings
define. Left panel: histogram of block-normalized values (each block of 64 divided
by its absolute maximum) with the level positions. Right panel: fraction of values
assigned to each code.

Run: .venv/bin/python figures/src/lora_and_qlora_levels.py
"""

from __future__ import annotations

from _listings import run_page_listings
from _style import PALETTE, new_figure, save


def main() -> None:
    ns = run_page_listings("docs/series/lora-and-qlora.md")
    torch = ns["torch"]
    nf4, int4, quantize, w = ns["nf4"], ns["int4"], ns["quantize"], ns["w_normal"]

    blocks = w.reshape(-1, 64)
    normalized = (blocks / blocks.abs().amax(dim=1, keepdim=True)).flatten()

    fig, (ax_levels, ax_usage) = new_figure(10.0, 4.2, ncols=2)

    ax_levels.hist(normalized.numpy(), bins=120, range=(-1, 1), density=True, color="#BBBBBB", label="block-normalized weights")
    top = ax_levels.get_ylim()[1]
    for i, v in enumerate(nf4.tolist()):
        ax_levels.plot([v, v], [top * 1.02, top * 1.14], color=PALETTE[0], linewidth=2, label="NF4 levels (16)" if i == 0 else None)
    for i, v in enumerate(int4.tolist()):
        ax_levels.plot([v, v], [top * 1.18, top * 1.30], color=PALETTE[1], linewidth=2, label="int4 levels (15)" if i == 0 else None)
    ax_levels.set_ylim(0, top * 1.75)
    ax_levels.set_xlim(-1.05, 1.05)
    ax_levels.set_xlabel("value / block absmax")
    ax_levels.set_ylabel("density")
    ax_levels.set_title("Where the levels sit")
    ax_levels.legend(frameon=False, loc="upper center", ncol=3, fontsize=8, handlelength=1.2, columnspacing=0.8)

    for offset, (name, levels, color) in zip((-0.2, 0.2), (("NF4", nf4, PALETTE[0]), ("int4", int4, PALETTE[1])), strict=True):
        codes, _ = quantize(w, levels)
        counts = torch.bincount(codes.flatten().long(), minlength=len(levels)).double()
        frac = (counts / counts.sum()).numpy()
        xs = [i + offset for i in range(len(levels))]
        ax_usage.bar(xs, frac, width=0.4, color=color, label=name)
        entropy = float(-(counts[counts > 0] / counts.sum() * (counts[counts > 0] / counts.sum()).log2()).sum())
        print(f"{name}: most used code {100 * frac.max():.1f}% of values, least {100 * frac.min():.2f}%, entropy {entropy:.2f} bits")
    ax_usage.axhline(1 / 16, color="#555555", linestyle="--", linewidth=1, label="uniform (1/16)")
    ax_usage.set_xlabel("code index (lowest level = 0)")
    ax_usage.set_ylabel("fraction of values")
    ax_usage.set_title("How often each code is used")
    ax_usage.legend(frameon=False, fontsize=9)

    save(fig, "lora-and-qlora-levels", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: shorter legend labels in the levels panel, the usage legend in the empty upper left."""
    ax_levels, ax_usage = fig.axes
    handles, _ = ax_levels.get_legend_handles_labels()
    ax_levels.legend(handles, ["weights", "NF4 (16)", "int4 (15)"], frameon=False, loc="upper center",
                     ncol=3, fontsize=8, handlelength=1.2, columnspacing=0.8)
    ax_usage.legend(frameon=False, fontsize=8, loc="upper left")


if __name__ == "__main__":
    main()
