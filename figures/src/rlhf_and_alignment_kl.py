"""The KL-regularized RLHF objective on a toy model with a flawed reward model.

Toy model. A response y has two features under the reference policy, both independent
N(0, 1): quality g and a nuisance feature l (think of length). Humans score
    gold(y)  = g - A * l**2          (they dislike responses far from the usual length)
and the learned reward model scores
    proxy(y) = g + C * l             (it has picked up a spurious preference for l).
The optimum of  max_pi E_pi[proxy] - beta * KL(pi || pi_ref)  is
    pi_beta(y) ~ pi_ref(y) * exp(proxy(y) / beta),
which for this Gaussian reference shifts g to N(1/beta, 1) and l to N(C/beta, 1). Hence
    KL = (1 + C^2) / (2 beta^2),  E[proxy] = (1 + C^2) / beta,
    E[gold] = 1/beta - A * (1 + C^2 / beta^2).
The script plots these closed forms and checks them with a Monte Carlo estimate
(self-normalized importance weights over samples from pi_ref, fixed seed).
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MultipleLocator

from _style import new_figure, save

A, C = 0.25, 1.0
SAMPLES, SEED = 400_000, 0


def closed_form(beta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kl = (1 + C**2) / (2 * beta**2)
    proxy = (1 + C**2) / beta
    gold = 1 / beta - A * (1 + C**2 / beta**2)
    return kl, proxy, gold


def monte_carlo(beta: float, g: np.ndarray, nuis: np.ndarray) -> tuple[float, float, float]:
    logw = (g + C * nuis) / beta
    w = np.exp(logw - logw.max())
    w /= w.sum()
    kl = float(np.sum(w * np.log(w * len(w) + 1e-300)))
    return kl, float(w @ (g + C * nuis)), float(w @ (g - A * nuis**2))


def phone_layout(fig) -> None:
    """Phone layout: a shorter axis label and the legend below the plot in one column."""
    ax = fig.axes[0]
    ax.set_xlabel("KL(optimal || reference), nats\n(smaller beta to the right)", fontsize=9)
    ax.set_ylabel("expected reward", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.xaxis.set_major_locator(MultipleLocator(5))
    for text in ax.texts:
        text.set_fontsize(8.5)
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    fig.set_size_inches(4.0, 4.4)
    fig.legend(handles, labels, loc="outside lower center", ncol=1, fontsize=8, frameon=False)


def main() -> None:
    rng = np.random.default_rng(SEED)
    g, nuis = rng.normal(size=SAMPLES), rng.normal(size=SAMPLES)

    beta = np.logspace(1.5, np.log10(0.22), 300)
    kl, proxy, gold = closed_form(beta)
    beta_peak = 2 * A * C**2  # d E[gold] / d(1/beta) = 0
    peak_kl = (1 + C**2) / (2 * beta_peak**2)
    print(f"reference policy: gold {-A:.2f}, proxy 0.00")
    print(f"gold peaks at beta = {beta_peak:.2f}, KL = {peak_kl:.2f} nats, "
          f"gold = {float(closed_form(np.array(beta_peak))[2]):.2f}")
    print(f"gold falls back to the reference value at beta = {A * C**2:.2f}, "
          f"KL = {(1 + C**2) / (2 * (A * C**2) ** 2):.2f} nats")
    for b in (2.0, 1.0, 0.5, 0.25):
        k, p, q = closed_form(np.array(b))
        print(f"beta={b:4.2f}: KL {float(k):5.2f} nats, proxy {float(p):5.2f}, gold {float(q):5.2f}")
    for b in (2.0, 1.0, 0.8):
        k, p, q = closed_form(np.array(b))
        mk, mp, mq = monte_carlo(b, g, nuis)
        print(f"Monte Carlo check beta={b:4.2f}: KL {mk:5.2f} vs {float(k):5.2f}, "
              f"proxy {mp:5.2f} vs {float(p):5.2f}, gold {mq:5.2f} vs {float(q):5.2f}")

    fig, ax = new_figure(width=7.0, height=4.0)
    ax.plot(kl, proxy, label="proxy reward (what the optimizer maximizes)")
    ax.plot(kl, gold, label="gold reward (what humans want)")
    mc_betas = [3.0, 2.0, 1.4, 1.0, 0.8]
    mc = np.array([monte_carlo(b, g, nuis) for b in mc_betas])
    ax.plot(mc[:, 0], mc[:, 1], "o", color="C0", markersize=4, label="Monte Carlo check")
    ax.plot(mc[:, 0], mc[:, 2], "o", color="C1", markersize=4)
    ax.axvline(peak_kl, color="grey", linestyle=":", linewidth=1)
    ax.annotate(f"gold peaks at KL = {peak_kl:.0f} nats", xy=(peak_kl, 0.75),
                xytext=(peak_kl + 3.0, 1.8), arrowprops={"arrowstyle": "->", "color": "grey"})
    ax.axhline(-A, color="C1", linewidth=0.8, linestyle="--", label="gold reward of the reference policy")
    ax.set_xlabel("KL(optimal policy || reference) in nats  (smaller beta to the right)")
    ax.set_ylabel("expected reward")
    ax.set_xlim(0, float(kl.max()))
    ax.legend(frameon=False, loc="upper left")
    save(fig, "rlhf-and-alignment-kl", phone=phone_layout)


if __name__ == "__main__":
    main()
