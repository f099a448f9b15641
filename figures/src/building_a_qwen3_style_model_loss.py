"""Training-loss curves for part 1 of the series (AdamW versus Muon plus AdamW).

The data are not typed in: the script executes the Python listings of
docs/series/building-a-qwen3-style-model.md in page order, exactly as the page's
tests do, and plots the two loss histories that the listings compute
(`losses_adamw`, `losses_muon`). Seeds are fixed in the listings, so a re-run on
the same CPU and PyTorch version reproduces the curves. The numbers quoted on the
page are printed at the end.

Run: .venv/bin/python figures/src/building_a_qwen3_style_model_loss.py
"""

from __future__ import annotations

from _listings import run_page_listings
from _style import new_figure, save


def main() -> None:
    ns = run_page_listings("docs/series/building-a-qwen3-style-model.md")
    adamw, muon = ns["losses_adamw"], ns["losses_muon"]
    steps = range(1, len(adamw) + 1)

    fig, ax = new_figure(7.0, 4.0)
    ax.plot(steps, adamw, label="AdamW (lr 3e-3)", linewidth=2)
    ax.plot(steps, muon, label="Muon (lr 0.02) on hidden matrices + AdamW on the rest", linewidth=2)
    ax.set_xlabel("training step (16 windows of 64 characters each)")
    ax.set_ylabel("cross-entropy loss (nats per character)")
    ax.set_title(f"Tiny Qwen3-style model, {ns['n_tiny']:,} parameters, CPU")
    ax.set_xlim(1, len(adamw))
    ax.set_ylim(0, None)
    ax.legend(frameon=False)
    save(fig, "building-a-qwen3-style-model-loss", phone=_phone)

    print(f"AdamW: first loss {adamw[0]:.2f}, final loss {adamw[-1]:.2f}")
    print(f"Muon + AdamW: first loss {muon[0]:.2f}, final loss {muon[-1]:.2f}")
    sv = ns["sv"]
    print(f"Newton-Schulz singular values in [{sv.min():.2f}, {sv.max():.2f}], cosine {ns['cosine']:.3f}")


def _phone(fig) -> None:
    """Phone layout: labels and the long legend entry are wider than a 4-inch panel; shorten them."""
    ax = fig.axes[0]
    ax.set_xlabel("training step (16 windows of 64 chars)")
    ax.set_ylabel("cross-entropy (nats per char)")
    handles, labels = ax.get_legend_handles_labels()
    labels = [label.replace(" on hidden matrices + ", " on hidden matrices\n+ ") for label in labels]
    ax.legend(handles, labels, frameon=False, fontsize=8)


if __name__ == "__main__":
    main()
