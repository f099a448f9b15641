"""Break-even between per-token serverless pricing and a dedicated endpoint.

Writes figures/model-card-to-production-endpoint-breakeven.svg and prints the
numbers quoted in docs/explainers/model-card-to-production-endpoint.md.

Every input is a parameter below. The prices are illustrative placeholders, not
quotes from any vendor, and CAPACITY is a placeholder for a number you measure
with your own load test at your own latency target. Change them and re-run.

Serverless: you pay per token, input and output at different rates, so the
monthly bill is linear in volume.

Dedicated: you pay per replica-hour whether or not requests arrive. The number of
replicas is set by the peak rate: replicas = max(MIN_REPLICAS,
ceil(mean_rate * PEAK_TO_MEAN / (CAPACITY * TARGET_UTIL))).
"""

from __future__ import annotations

import math

import numpy as np

from _style import PALETTE, new_figure, save

# ---- serverless (illustrative prices, USD per million tokens) ----
PRICE_IN = 0.20  # per million input tokens
PRICE_OUT = 0.60  # per million output tokens
IN_PER_OUT = 3.0  # input tokens per output token in the workload

# ---- dedicated (illustrative) ----
GPU_HOUR = 3.00  # USD per GPU-hour
GPUS_PER_REPLICA = 1
CAPACITY = 12_000  # billed tokens/s (input + output) one replica sustains at the latency target
TARGET_UTIL = 0.6  # plan replicas to run at most this fraction of CAPACITY at peak
PEAK_TO_MEAN = 2.0  # peak-hour token rate divided by the daily mean rate
MIN_REPLICAS = 1  # always on (no scale to zero)

HOURS_PER_MONTH = 730.0
DAYS_PER_MONTH = HOURS_PER_MONTH / 24.0

# ---- capacity anchor (an estimate, not a load test) ----
# Measured on one H100 SXM (driver 580.159.04, PyTorch 2.11.0+cu130) on 2026-11-28, see
# /about/measurements.md: one decode step of a BF16 model with Llama 3 8B's shapes (Mistral
# 7B's layers with a larger vocabulary) at 4,096 tokens of context, in a CUDA graph, and the
# sustained rate of a compute-bound 8192^3 BF16 GEMM at the card's power cap.
# MODELLING CHOICE: prefill runs at that GEMM rate and costs 2 * PARAMS FLOPs per prompt
# token (attention and scheduling ignored, so the capacity is optimistic); decode and
# prefill share the GPU, so their times per output token add.
DECODE_STEP_MS = {64: 17.289, 16: 8.852}  # batch size -> measured ms per decode step
GEMM_TFLOPS = 671.0  # measured BF16 GEMM rate
PARAMS = 8.03e9  # Llama 3 8B


def blended_price() -> float:
    """USD per million billed tokens for the stated input/output mix."""
    return (IN_PER_OUT * PRICE_IN + PRICE_OUT) / (IN_PER_OUT + 1.0)


def serverless_month(tokens_per_day: float) -> float:
    return tokens_per_day * DAYS_PER_MONTH * blended_price() / 1e6


def replicas(tokens_per_day: float, capacity: float = CAPACITY) -> int:
    peak_rate = tokens_per_day / 86_400.0 * PEAK_TO_MEAN
    return max(MIN_REPLICAS, math.ceil(peak_rate / (capacity * TARGET_UTIL) - 1e-12))


def dedicated_month(tokens_per_day: float, capacity: float = CAPACITY) -> float:
    return replicas(tokens_per_day, capacity) * GPUS_PER_REPLICA * GPU_HOUR * HOURS_PER_MONTH


def min_capacity(gpu_hour: float, price: float) -> float:
    """Smallest CAPACITY for which a fully planned replica beats serverless at all."""
    return gpu_hour * GPUS_PER_REPLICA * 1e6 * PEAK_TO_MEAN / (3600.0 * TARGET_UTIL * price)


def anchored_capacity(batch: int) -> tuple[float, float]:
    """Billed tokens/s of one H100 replica at this batch size, and seconds between a user's tokens."""
    per_output = DECODE_STEP_MS[batch] / 1e3 / batch + IN_PER_OUT * 2 * PARAMS / (GEMM_TFLOPS * 1e12)
    return (IN_PER_OUT + 1.0) / per_output, batch * per_output


def main() -> None:
    p = blended_price()
    replica_month = GPUS_PER_REPLICA * GPU_HOUR * HOURS_PER_MONTH
    breakeven_day = replica_month / DAYS_PER_MONTH / p * 1e6
    per_replica_day = CAPACITY * TARGET_UTIL / PEAK_TO_MEAN * 86_400.0
    print(f"blended serverless price: ${p:.3f} per million tokens")
    print(f"one replica: ${replica_month:,.0f} per month")
    print(f"break-even volume for one replica: {breakeven_day / 1e6:.0f} M tokens/day (mean {breakeven_day / 86_400:.0f} tokens/s)")
    print(f"one replica carries up to {per_replica_day / 1e6:.0f} M tokens/day at the planned peak utilization")
    print(f"dedicated cost per million tokens with every replica at planned load: ${replica_month / (per_replica_day * DAYS_PER_MONTH) * 1e6:.3f}")
    print(f"minimum capacity for dedicated to ever win: {min_capacity(GPU_HOUR, p):,.0f} tokens/s")
    for batch in DECODE_STEP_MS:
        cap, gap = anchored_capacity(batch)
        print(
            f"H100 anchor, batch {batch}: {cap:,.0f} billed tokens/s, {gap * 1e3:.1f} ms between a user's tokens, "
            f"{cap / min_capacity(GPU_HOUR, p):.2f} x the minimum, {cap / CAPACITY:.2f} x the assumed capacity"
        )

    # Where dedicated is cheaper, exactly: n replicas beat serverless from n * breakeven_day
    # until the load needs an (n+1)-th replica at n * per_replica_day; once consecutive bands
    # overlap, dedicated stays cheaper at every higher volume.
    if per_replica_day > breakeven_day:
        n = 1
        while n * per_replica_day < (n + 1) * breakeven_day:
            print(f"dedicated cheaper from {n * breakeven_day / 1e6:.0f} to {n * per_replica_day / 1e6:.0f} M tokens/day ({n} replica(s))")
            n += 1
        print(f"dedicated cheaper at every volume from {n * breakeven_day / 1e6:.0f} M tokens/day ({n} replicas and more)")
    else:
        print("dedicated is never cheaper")

    volumes = np.logspace(6, 9.3, 600)  # tokens per day
    s_cost = np.array([serverless_month(v) for v in volumes])
    d_cost = np.array([dedicated_month(v) for v in volumes])
    cheaper = d_cost < s_cost
    for v in (50e6, 240e6, 300e6, 400e6, 1000e6):
        print(
            f"{v / 1e6:6.0f} M tokens/day: serverless ${serverless_month(v):,.0f}/month, dedicated ${dedicated_month(v):,.0f}/month ({replicas(v)} replica(s))"
        )

    fig, (ax1, ax2) = new_figure(width=9.5, height=4.0, ncols=2)
    ax1.plot(volumes / 1e6, s_cost, color=PALETTE[1], label=f"Serverless (\\${p:.2f} per M tokens)")
    ax1.plot(volumes / 1e6, d_cost, color=PALETTE[0], drawstyle="steps-post", label=f"Dedicated ({CAPACITY:,} tok/s per replica)")
    ax1.fill_between(volumes / 1e6, s_cost, d_cost, where=cheaper, step="post", color=PALETTE[0], alpha=0.35, label="Dedicated cheaper")
    ax1.axvline(breakeven_day / 1e6, color="0.4", linestyle=":", linewidth=1)
    ax1.annotate(
        f"break-even\n{breakeven_day / 1e6:.0f} M/day",
        (breakeven_day / 1e6, 30),
        xytext=(20, 30),
        fontsize=8,
        ha="left",
        arrowprops={"arrowstyle": "->", "color": "0.4"},
    )
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_xlabel("Billed tokens per day (millions, log scale)")
    ax1.set_ylabel("USD per month (log scale)")
    ax1.set_title("(a) Monthly cost against volume")
    ax1.legend(loc="upper left", fontsize=8)

    gpu_hours = np.linspace(1.0, 8.0, 50)
    for k, price in enumerate((0.15, 0.30, 0.60, 1.20)):
        ax2.plot(gpu_hours, [min_capacity(g, price) / 1e3 for g in gpu_hours], color=PALETTE[k + 2 if k else 1], label=f"serverless \\${price:.2f} per M")
    ax2.axhline(CAPACITY / 1e3, color="0.4", linestyle=":", linewidth=1)
    ax2.text(1.1, CAPACITY / 1e3 * 1.08, f"assumed capacity {CAPACITY:,} tok/s", fontsize=8, color="0.3")
    ax2.plot([GPU_HOUR], [min_capacity(GPU_HOUR, p) / 1e3], marker="o", color="black")
    ax2.set_yscale("log")
    ax2.set_xlabel("Dedicated price (USD per GPU-hour)")
    ax2.set_ylabel("Minimum sustained capacity\n(thousand tokens/s per replica)")
    ax2.set_title("(b) Capacity a replica needs to ever win")
    ax2.legend(loc="lower right", fontsize=8)
    save(fig, "model-card-to-production-endpoint-breakeven", phone=phone_layout)


def phone_layout(fig) -> None:
    """Phone layout: legends below their panels, a shorter title for (b)."""
    ax1, ax2 = fig.axes
    fig.set_size_inches(4.0, 8.6)
    ax2.set_title("(b) Capacity a replica needs\nto ever win")
    for ax in (ax1, ax2):
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=8, ncol=1, frameon=False)


if __name__ == "__main__":
    main()
