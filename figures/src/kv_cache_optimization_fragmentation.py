"""Fraction of allocated KV cache memory that holds tokens, for three allocation policies.

Writes figures/kv-cache-optimization-fragmentation.svg and prints the numbers quoted in
articles/kv-cache-optimization.md.

Synthetic workload, fixed seed (the same distributions as figures/src/batching_scheduling_sim.py):
prompts uniform on [256, 2048] tokens, outputs log-normal with median 128 and sigma 1.0 clipped to
[8, 1024], a model context limit of 4096 tokens, and a request cap of max_tokens = 1024.
Each of 100,000 sampled requests is observed at a uniformly random point of its decode phase.

Policies:
- reserve the model's maximum length (4096 tokens) per request, as a static contiguous buffer;
- reserve prompt + max_tokens per request, contiguous;
- paged allocation in blocks of b tokens (vLLM-style): ceil(tokens / b) * b slots per request.
Utilization = tokens held / slots allocated, summed over the sampled requests.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

SEED = 0
N = 100_000
MAX_LEN = 4096
MAX_TOKENS = 1024


def main() -> None:
    rng = np.random.default_rng(SEED)
    prompts = rng.integers(256, 2049, N)
    outputs = np.clip(np.round(rng.lognormal(np.log(128), 1.0, N)), 8, MAX_TOKENS).astype(int)
    generated = np.floor(rng.random(N) * outputs).astype(int) + 1
    held = prompts + generated

    util_max = held.sum() / (N * MAX_LEN)
    util_req = held.sum() / (prompts + MAX_TOKENS).sum()
    print(f"mean tokens held per request: {held.mean():.0f}")
    print(f"reserve {MAX_LEN} tokens        : utilization {util_max:.1%}")
    print(f"reserve prompt + {MAX_TOKENS}   : utilization {util_req:.1%}")
    blocks = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    util_paged = []
    for b in blocks:
        slots = (np.ceil(held / b) * b).sum()
        util_paged.append(held.sum() / slots)
        print(f"paged, block {b:3d} tokens   : utilization {util_paged[-1]:.2%}, "
              f"mean waste {(slots - held.sum()) / N:.1f} tokens per request")

    fig, ax = new_figure(width=7.0, height=3.8)
    ax.plot(blocks, [u * 100 for u in util_paged], marker="o", color=PALETTE[0],
            label="paged allocation (block size on the x axis)")
    ax.axhline(util_req * 100, color=PALETTE[2], linestyle="--",
               label=f"contiguous, prompt + max_tokens ({MAX_TOKENS})")
    ax.axhline(util_max * 100, color=PALETTE[1], linestyle=":",
               label=f"contiguous, model maximum ({MAX_LEN})")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("KV block size (tokens)")
    ax.set_ylabel("allocated KV memory holding tokens (%)")
    ax.set_ylim(0, 105)
    ax.legend(fontsize=9, loc="lower left")
    save(fig, "kv-cache-optimization-fragmentation", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: a shorter y label and a smaller legend."""
    ax = fig.axes[0]
    ax.set_ylabel("allocated KV memory used (%)")
    ax.legend(fontsize=7.5, loc="lower left")


if __name__ == "__main__":
    main()
