"""Fraction of expert assignments dropped as a function of the capacity factor.

Simulation with a fixed seed. Each of T tokens picks its top-k experts by Gumbel-top-k
sampling from softmax(mu), which is top-k routing on logits mu_e + noise. mu_e = 0 gives
a router that is balanced in expectation; mu_e ~ N(0, 0.5^2), redrawn for every batch,
gives a mildly skewed one (0.5 is the standard deviation of the expert's log-popularity;
it is a modelling choice, not fitted to a measured router). Each expert accepts at most
C = floor(cf * k * T / E) assignments (the Switch/GShard capacity rule); the overflow is
dropped (the token skips that expert via the residual).

Tokens are routed independently, so the balanced curves are a lower bound: real routers
send consecutive tokens of a sequence to the same experts more often than chance. After
the figure, the script prints a sensitivity check with its own generator (so the plotted
data do not change): a smaller routing group (T = 1,024) and a stronger skew (sd 1.0).
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

TOKENS = 4096
TRIALS = 200
CAPACITY_FACTORS = np.round(np.arange(0.75, 2.01, 0.05), 2)
CONFIGS = [("E=8, k=2 (Mixtral-like)", 8, 2), ("E=256, k=8 (DeepSeek-V3-like)", 256, 8)]
SKEWS = [("balanced router", 0.0, "-"), ("skewed router, sd 0.5", 0.5, "--")]


def loads(rng: np.random.Generator, experts: int, top_k: int, skew: float,
          tokens: int = TOKENS) -> np.ndarray:
    """Per-trial expert loads, shape (TRIALS, experts)."""
    out = np.empty((TRIALS, experts))
    for t in range(TRIALS):
        mu = rng.normal(0.0, skew, size=experts) if skew > 0 else np.zeros(experts)
        scores = mu + rng.gumbel(size=(tokens, experts))
        chosen = np.argpartition(-scores, top_k - 1, axis=1)[:, :top_k]
        out[t] = np.bincount(chosen.ravel(), minlength=experts)
    return out


def dropped_fraction(load: np.ndarray, experts: int, top_k: int, cf: float,
                     tokens: int = TOKENS) -> float:
    capacity = np.floor(cf * top_k * tokens / experts)
    overflow = np.clip(load - capacity, 0, None).sum(axis=1)
    return float(np.mean(overflow / (top_k * tokens)))


def sensitivity() -> None:
    """Drops when the most uncertain inputs move: group size T and skew sd."""
    rng = np.random.default_rng(1)
    cases = [("T=1024, balanced", 1024, 0.0), ("T=4096, skew sd 1.0", TOKENS, 1.0)]
    for label, experts, top_k in CONFIGS:
        for case, tokens, skew in cases:
            load = loads(rng, experts, top_k, skew, tokens)
            drops = [dropped_fraction(load, experts, top_k, cf, tokens) for cf in (1.0, 1.25, 2.0)]
            print(f"sensitivity {label:32s} {case:20s} "
                  + " ".join(f"cf={cf:.2f} dropped={100 * d:.2f}%" for cf, d in zip((1.0, 1.25, 2.0), drops, strict=True)))


def _phone(fig) -> None:
    """Phone layout: a shorter title and y label, the legend inside the empty upper right."""
    ax = fig.axes[0]
    ax.set_title(f"Token dropping, {TOKENS} tokens\nper routing group, mean of {TRIALS} trials")
    ax.set_ylabel("assignments dropped (%)")
    handles, labels = ax.get_legend_handles_labels()
    short = [label.replace(" (Mixtral-like)", "").replace(" (DeepSeek-V3-like)", "").replace(" router", "")
             for label in labels]
    ax.legend(handles, short, fontsize=7.5, frameon=False, loc="upper right")


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
    save(fig, "mixture-of-experts-capacity", phone=_phone)
    sensitivity()


if __name__ == "__main__":
    main()
