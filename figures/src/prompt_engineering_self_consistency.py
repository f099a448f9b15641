"""Majority-vote (self-consistency) accuracy against the number of sampled answers.

Each sample returns one final answer drawn independently from a fixed distribution over the correct
answer and four wrong answers. Self-consistency returns the most frequent answer among k samples,
with ties broken uniformly at random. Three illustrative distributions (assumptions, not
measurements):
- "correct is the clear mode": P(correct) = 0.65, wrong answers 0.15, 0.10, 0.06, 0.04
- "correct is a weak mode":    P(correct) = 0.35, wrong answers 0.25, 0.20, 0.12, 0.08
- "a wrong answer is the mode": P(correct) = 0.30, wrong answers 0.40, 0.15, 0.10, 0.05
For one question, samples drawn at a nonzero temperature from the same prompt are independent given
that question, as modeled here. What the model leaves out is that questions differ: a benchmark's
majority-vote accuracy tends, as k grows, to the fraction of questions whose most likely answer is
correct. So this shows the mechanism for one question, not a benchmark forecast. Monte Carlo with a fixed seed; 100,000 trials per point.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

CASES = {
    "correct is the clear mode (p = 0.65)": [0.65, 0.15, 0.10, 0.06, 0.04],
    "correct is a weak mode (p = 0.35)": [0.35, 0.25, 0.20, 0.12, 0.08],
    "a wrong answer is the mode (p = 0.30)": [0.30, 0.40, 0.15, 0.10, 0.05],
}
KS = list(range(1, 41))
TRIALS = 100_000


def majority_accuracy(probs: list[float], k: int, rng: np.random.Generator) -> float:
    counts = rng.multinomial(k, probs, size=TRIALS)  # (trials, answers); answer 0 is correct
    top = counts.max(axis=1, keepdims=True)
    winners = counts == top
    # Random tie-break: the correct answer wins with probability 1 / (number of tied answers).
    return float(np.mean(winners[:, 0] / winners.sum(axis=1)))


def main() -> None:
    rng = np.random.default_rng(0)
    fig, ax = new_figure(width=7.0, height=4.0)
    for name, probs in CASES.items():
        acc = [majority_accuracy(probs, k, rng) for k in KS]
        ax.plot(KS, [100 * a for a in acc], label=name)
        print(f"{name}: " + ", ".join(f"k={k}: {100 * acc[k - 1]:.1f}%" for k in (1, 5, 10, 20, 40)))
    ax.set_xlabel("number of sampled answers k")
    ax.set_ylabel("majority-vote accuracy (%)")
    ax.set_ylim(0, 100)
    ax.legend(frameon=False, fontsize=9, loc="center right")
    save(fig, "prompt-engineering-self-consistency")


if __name__ == "__main__":
    main()
