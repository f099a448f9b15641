"""Cost of a long shared prompt prefix with and without prompt caching.

Pricing is parameterized. Token prices are assumptions for illustration (USD per million tokens).
The cache multipliers are the providers' documented terms as read on 2026-11-28: Anthropic charges
1.25x the base input price for a 5-minute cache write, 2x for a 1-hour write and 0.1x for a read,
and each read refreshes the lifetime. OpenAI charges nothing extra for writes before the GPT-5.6
family; from GPT-5.6 on a write costs 1.25x and sets a minimum lifetime of 30 minutes (the default
`prompt_cache_options.ttl`; the Responses API also accepts 12 hours, whose write price is not drawn
here), and reads cost 0.1x on current models. Google's implicit caching has no write premium.

Left: cost per request against the length of the shared prefix, for a request that adds 600
dynamic input tokens and generates 400 output tokens, at cache hit rates of 0 (no caching), 0.5,
0.9 and 0.99.

Right: the cost of the prefix relative to no caching, (1 - h) * w + h * r, as a function of the mean
time between requests that share the prefix. Arrivals are modeled as a Poisson process with mean
interval tau, so the cache entry has expired at the next request (a miss) with probability
exp(-T / tau) for a lifetime T; the hit rate is h = 1 - exp(-T / tau). This is a model, not a
measurement: real traffic is burstier, and a provider may evict entries earlier or keep them
longer. The lifetime is the input that differs most between providers, so the 1.25x write is drawn
at both 5 minutes (Anthropic's default) and 30 minutes (OpenAI's minimum from GPT-5.6), which moves
the break-even from about 20 minutes to about 2 hours; a write at 1x (no premium: OpenAI before
GPT-5.6, Google's implicit caching) never costs more than no caching.
"""

from __future__ import annotations

import math

import numpy as np

from _style import new_figure, save

PRICE_IN, PRICE_OUT = 3.00, 15.00  # USD per million tokens (assumed)
READ = 0.10  # cache read multiplier
WRITE_5M, WRITE_1H = 1.25, 2.00  # write multipliers: 5- or 30-minute and 1-hour lifetimes
DYNAMIC_IN, OUTPUT = 600, 400  # tokens per request that are not part of the shared prefix


def cost_per_request(prefix: float, hit: float, write: float = WRITE_5M) -> float:
    """USD per request; a miss writes the prefix to the cache (or pays 1x without caching)."""
    prefix_mult = 1.0 if hit is None else (1 - hit) * write + hit * READ
    return (prefix * prefix_mult + DYNAMIC_IN) * PRICE_IN / 1e6 + OUTPUT * PRICE_OUT / 1e6


def prefix_multiplier(mean_interval_s: float, lifetime_s: float, write: float) -> float:
    hit = 1 - math.exp(-lifetime_s / mean_interval_s)
    return (1 - hit) * write + hit * READ


def break_even_interval(lifetime_s: float, write: float) -> float:
    hit = (write - 1) / (write - READ)  # multiplier equals 1
    return lifetime_s / -math.log(1 - hit)


def main() -> None:
    fig, (ax, bx) = new_figure(width=9.5, height=4.0, ncols=2)
    prefixes = np.linspace(0, 100_000, 201)
    ax.plot(prefixes / 1000, [100 * cost_per_request(p, None) for p in prefixes], label="no caching")
    for hit in (0.5, 0.9, 0.99):
        ax.plot(prefixes / 1000, [100 * cost_per_request(p, hit) for p in prefixes],
                label=f"cached, hit rate {hit:.0%}")
    ax.set_xlabel("shared prefix length (thousand tokens)")
    ax.set_ylabel("cost per request (US cents)")
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    ax.set_title("cost per request", fontsize=11)
    for p in (12_000, 50_000):
        print(f"prefix {p:,d} tokens: no cache {100 * cost_per_request(p, None):.3f} c, "
              + ", ".join(f"h={h}: {100 * cost_per_request(p, h):.3f} c" for h in (0.5, 0.9, 0.99)))

    intervals = np.geomspace(1, 4 * 3600, 300)
    curves = (  # (lifetime in s, write multiplier, label)
        (300, WRITE_5M, "5-min lifetime, write 1.25x"),
        (1800, WRITE_5M, "30-min lifetime, write 1.25x"),
        (3600, WRITE_1H, "1-hour lifetime, write 2x"),
        (300, 1.0, "5-min lifetime, no write premium"),
    )
    for lifetime, write, label in curves:
        bx.plot(intervals, [prefix_multiplier(t, lifetime, write) for t in intervals], label=label)
    bx.axhline(1.0, color="0.3", linestyle="--", linewidth=1)
    bx.text(intervals[0], 1.03, "no caching", fontsize=9, color="0.3")
    for lifetime, write, _ in curves:
        if write <= 1.0:
            print(f"lifetime {lifetime} s, write {write}x: never above no caching; multiplier at "
                  f"4 h interval {prefix_multiplier(4 * 3600, lifetime, write):.3f}")
            continue
        t = break_even_interval(lifetime, write)
        bx.plot([t], [1.0], "o", color="0.3")
        print(f"lifetime {lifetime} s, write {write}x: break-even mean interval {t:.0f} s "
              f"({t / 60:.1f} min); multiplier at 10 s interval "
              f"{prefix_multiplier(10, lifetime, write):.3f}")
    bx.set_xscale("log")
    ticks = [1, 10, 60, 600, 3600, 4 * 3600]
    bx.set_xticks(ticks, ["1 s", "10 s", "1 min", "10 min", "1 h", "4 h"])
    bx.minorticks_off()
    bx.set_xlabel("mean time between requests sharing the prefix")
    bx.set_ylabel("prefix cost relative to no caching")
    bx.set_ylim(0, 2.1)
    bx.legend(frameon=False, fontsize=9, loc="upper left")
    bx.set_title("when caching pays (Poisson arrivals)", fontsize=11)
    save(fig, "prompt-engineering-caching-cost", phone=phone_layout)


def phone_layout(fig) -> None:
    """Phone layout: a shorter x label for the right panel, which would run off a phone's width."""
    fig.axes[1].set_xlabel("mean time between requests (same prefix)")


if __name__ == "__main__":
    main()
