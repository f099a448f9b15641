"""Expected fraction of a layer's routed experts that a decode batch touches.

If each of B tokens picks k of E experts and routing is uniform and independent across
tokens, an expert is missed by one token with probability (1 - k/E), so the expected
fraction of experts that must be read from memory in one decode step is
1 - (1 - k/E)^B. Real routers are not uniform, so this is an idealized model.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

MODELS = [("Mixtral 8x7B (E=8, k=2)", 8, 2), ("DeepSeek-V3 (E=256, k=8)", 256, 8)]
BATCH = np.unique(np.round(np.logspace(0, 10, 81, base=2)).astype(int))


def coverage(batch: np.ndarray, experts: int, top_k: int) -> np.ndarray:
    return 1.0 - (1.0 - top_k / experts) ** batch


def main() -> None:
    fig, ax = new_figure(width=7.0, height=3.8)
    for label, experts, top_k in MODELS:
        frac = coverage(BATCH, experts, top_k)
        ax.plot(BATCH, 100 * frac, label=label)
        for b in (1, 4, 8, 16, 64, 256):
            print(f"{label:26s} batch {b:4d}: {100 * coverage(np.array(b), experts, top_k):5.1f}% "
                  "of routed experts touched")
        half = np.log(0.5) / np.log(1 - top_k / experts)
        print(f"{label:26s} half of the experts touched at batch {half:.1f}")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("tokens in the decode batch (B)")
    ax.set_ylabel("routed experts touched per layer (%)")
    ax.set_ylim(0, 102)
    ax.legend(frameon=False)
    save(fig, "mixture-of-experts-coverage")


if __name__ == "__main__":
    main()
