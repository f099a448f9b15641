"""Fraction of expert assignments dropped as a function of the capacity factor.

Simulation with a fixed seed. Each of T tokens picks its top-k experts by Gumbel-top-k
sampling from softmax(mu), which is top-k routing on logits mu_e + noise. mu_e = 0 gives
a router that is balanced in expectation; mu_e ~ N(0, 0.5^2) gives a mildly skewed one.
Each expert accepts at most C = floor(cf * k * T / E) assignments (the Switch/GShard
capacity rule); the overflow is dropped (the token skips that expert via the residual).
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

TOKENS = 4096
TRIALS = 200
CAPACITY_FACTORS = np.round(np.arange(0.75, 2.01, 0.05), 2)
CONFIGS = [("E=8, k=2 (Mixtral-like)", 8, 2), ("E=256, k=8 (DeepSeek-V3-like)", 256, 8)]
SKEWS = [("balanced router", 0.0, "-"), ("skewed router, sd 0.5", 0.5, "--")]


def loads(rng: np.random.Generator, experts: int, top_k: int, skew: float) -> np.ndarray:
    """Per-trial expert loads, shape (TRIALS, experts)."""
    out = np.empty((TRIALS, experts))
    for t in range(TRIALS):
        mu = rng.normal(0.0, skew, size=experts) if skew > 0 else np.zeros(experts)
        scores = mu + rng.gumbel(size=(TOKENS, experts))
        chosen = np.argpartition(-scores, top_k - 1, axis=1)[:, :top_k]
        out[t] = np.bincount(chosen.ravel(), minlength=experts)
    return out


def dropped_fraction(load: np.ndarray, experts: int, top_k: int, cf: float) -> float:
    capacity = np.floor(cf * top_k * TOKENS / experts)
    overflow = np.clip(load - capacity, 0, None).sum(axis=1)
    return float(np.mean(overflow / (top_k * TOKENS)))


def main() -> None:
    rng = np.random.default_rng(0)
    fig, ax = new_figure(width=7.0, height=4.0)
    for ci, (label, experts, top_k) in enumerate(CONFIGS):
        for label_s, skew, style in SKEWS:
            load = loads(rng, experts, top_k, skew)
            drops = [dropped_fraction(load, experts, top_k, cf) for cf in CAPACITY_FACTORS]
            ax.plot(CAPACITY_FACTORS, 100 * np.array(drops), style, color=f"C{ci}",
                    label=f"{label}, {label_s}")
            for cf in (1.0, 1.25, 1.5, 2.0):
                i = int(np.argmin(np.abs(CAPACITY_FACTORS - cf)))
                print(f"{label:32s} {label_s:22s} cf={cf:.2f} dropped={100 * drops[i]:.2f}%")
    ax.set_xlabel("capacity factor")
    ax.set_ylabel("expert assignments dropped (%)")
    ax.set_title(f"Token dropping, {TOKENS} tokens per routing group, mean of {TRIALS} trials")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=9, frameon=False)
    save(fig, "mixture-of-experts-capacity")


if __name__ == "__main__":
    main()
