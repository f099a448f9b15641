"""DPO and IPO on one deterministic preference: the implicit reward margin over training.

Toy setup: a policy over K = 4 responses to one prompt, parameterized by logits, starts
equal to a uniform reference policy. The data set holds a single comparison, response 0
preferred to response 1, labeled the same way every time (a deterministic preference).
Let h = log[pi(y0) / pi_ref(y0)] - log[pi(y1) / pi_ref(y1)] be the log-ratio margin;
the DPO implicit reward margin is beta * h.
    DPO loss: -log sigmoid(beta * h)         (Rafailov et al., 2023)
    IPO loss: (h - 1 / (2 * tau))**2         (Azar et al., 2023)
Both are minimized by plain gradient descent on the logits, learning rate 0.1.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

K, STEPS, LR = 4, 20_000, 0.1


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def train(kind: str, coef: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the margin h and pi(y1) after every step."""
    theta = np.zeros(K)  # reference is uniform, so log pi_ref cancels in h
    margins, p_rejected = np.empty(STEPS), np.empty(STEPS)
    for step in range(STEPS):
        h = theta[0] - theta[1]
        # d/dh of -log sigmoid(beta h) for DPO, of (h - 1/(2 tau))^2 for IPO
        dl_dh = -coef / (1 + np.exp(coef * h)) if kind == "dpo" else 2 * (h - 1 / (2 * coef))
        grad = np.zeros(K)
        grad[0], grad[1] = dl_dh, -dl_dh
        theta -= LR * grad
        margins[step] = theta[0] - theta[1]
        p_rejected[step] = softmax(theta)[1]
    return margins, p_rejected


def main() -> None:
    runs = [("DPO, beta = 0.1", "dpo", 0.1), ("DPO, beta = 0.5", "dpo", 0.5),
            ("IPO, tau = 0.1", "ipo", 0.1), ("IPO, tau = 0.5", "ipo", 0.5)]
    fig, (ax1, ax2) = new_figure(width=8.0, height=3.8, ncols=2)
    steps = np.unique(np.round(np.logspace(0, np.log10(STEPS), 400)).astype(int))  # plotted points
    for i, (label, kind, coef) in enumerate(runs):
        h, pr = train(kind, coef)
        style = "-" if kind == "dpo" else "--"
        color = f"C{i % 2}"
        ax1.plot(steps, h[steps - 1], style, color=color, label=label)
        ax2.plot(steps, pr[steps - 1], style, color=color, label=label)
        for s in (1_000, 5_000, 20_000):
            extra = f", implicit reward margin beta*h = {coef * h[s - 1]:5.2f}" if kind == "dpo" else ""
            print(f"{label:16s} step {s:6d}: margin h = {h[s - 1]:6.2f}, "
                  f"pi(rejected) = {pr[s - 1]:.2e}{extra}")
    ax1.set_xscale("log")
    ax1.set_xlabel("gradient steps")
    ax1.set_ylabel("log-ratio margin h")
    ax1.set_title("DPO margin grows without bound", fontsize=10)
    ax1.legend(frameon=False, fontsize=9)
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("gradient steps")
    ax2.set_ylabel("probability of the rejected response")
    ax2.set_title("DPO drives the rejected response to 0", fontsize=10)
    save(fig, "rlhf-and-alignment-dpo")


if __name__ == "__main__":
    main()
