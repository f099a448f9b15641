"""Discrete-event simulation: request-level (static) versus iteration-level batching.

Writes figures/iteration-batching-sim.svg and prints the numbers quoted in
docs/explainers/iteration-batching.md.

The engine is a single accelerator whose time per forward pass follows an
assumed linear cost model (not a measurement of any GPU):

    t_iter = T_BASE + T_TOKEN * (tokens processed in the pass)

A decode step processes one token per running sequence; a prefill processes the
whole prompt. T_BASE stands for the fixed cost of streaming the weights once per
pass, T_TOKEN for the per-token compute. Both are parameters; change them and
re-run to see how the comparison moves.

What the cost model leaves out: reading each decoding sequence's key-value cache,
which grows with its context (prompt plus tokens generated so far), so a long
output makes every later pass of its batch slower. The figure and the quoted
numbers use the model above. As sensitivity checks, the script re-runs both
policies (1) with an extra term T_CONTEXT * (cached tokens read in the pass), with
T_CONTEXT set from a measured decode step, and (2) with T_TOKEN set from a measured
BF16 GEMM rate instead of the assumed 0.1 ms, and a few values around it (see
MEASURED_* below). Both are anchored in proportion to the fixed per-pass cost: the
H100's batch-1 decode step stands for T_BASE.

Workload (synthetic, fixed seed): Poisson arrivals at a stated rate, prompt
lengths uniform on [PROMPT_MIN, PROMPT_MAX], output lengths geometric with mean
OUT_MEAN truncated at OUT_MAX.

Static batching: when the engine is free and requests are waiting, it takes up to
MAX_BATCH of them, prefills them padded to the longest prompt, then decodes all
slots until the longest output is done. Every request in the batch returns when
the batch ends.

Iteration-level batching: before every pass the scheduler fills free slots (up to
MAX_BATCH running sequences) from the queue. A newly admitted request is prefilled
in that same pass (mixed prefill+decode, as in Orca's selective batching); a
request leaves and returns as soon as its last token is produced.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

# ---- parameters (all assumptions are here) ----
SEED = 0
N_REQUESTS = 3000  # requests per simulated load point
T_BASE = 0.010  # s per forward pass, fixed part (assumed)
T_TOKEN = 0.0001  # s per token processed in a pass (assumed)
MAX_BATCH = 32  # concurrent sequences, both policies
PROMPT_MIN, PROMPT_MAX = 32, 512  # prompt tokens, uniform
OUT_MEAN, OUT_MAX = 128, 1024  # output tokens, geometric mean / cap
RATES = [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16]  # offered load, requests/s

# Sensitivity anchor: decode steps of a Llama-3-8B-shaped model measured on one H100 SXM
# (driver 580.159.04, PyTorch 2.11.0+cu130) on 2026-11-28, site page
# /about/measurements.md#decode-step. Batch 64 at 1024 and 4096 tokens of context, and
# batch 1 at 1024 tokens (the nearest measured point to "weights read once").
MEASURED_B64_CTX1024_MS, MEASURED_B64_CTX4096_MS = 9.028, 17.289
MEASURED_B1_CTX1024_MS = 6.027
MEASURED_S_PER_CACHED_TOKEN = (MEASURED_B64_CTX4096_MS - MEASURED_B64_CTX1024_MS) * 1e-3 / (64 * (4096 - 1024))
# the same proportion to the fixed per-pass cost, in this model's units
T_CONTEXT = T_BASE * MEASURED_S_PER_CACHED_TOKEN / (MEASURED_B1_CTX1024_MS * 1e-3)
# Sensitivity anchor for T_TOKEN: a prefill token of the same model costs 2 FLOPs per
# weight of its linear layers (output head left out, as only the last prompt token
# needs it), at the BF16 GEMM rate measured on the same H100 for 1024 tokens x 4096 ->
# 14336 (759 TFLOP/s, /about/measurements.md#fp8-gemm).
LLAMA3_8B_LINEAR_WEIGHTS = 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336)
MEASURED_BF16_GEMM_FLOPS = 759e12
MEASURED_S_PER_PREFILL_TOKEN = 2 * LLAMA3_8B_LINEAR_WEIGHTS / MEASURED_BF16_GEMM_FLOPS
T_TOKEN_MEASURED = T_BASE * MEASURED_S_PER_PREFILL_TOKEN / (MEASURED_B1_CTX1024_MS * 1e-3)
T_TOKEN_SWEEP = [0.01e-3, T_TOKEN_MEASURED, 0.1e-3, 0.3e-3]
# a cheaper pass raises the ceilings past the plotted loads, so the sweep goes further
SWEEP_RATES = [*RATES, 20, 24, 28, 32, 40, 48]
QUOTE_RATE = 3.0  # load at which latencies are quoted in the text


def workload(rate: float, rng: np.random.Generator):
    arrivals = np.cumsum(rng.exponential(1.0 / rate, N_REQUESTS))
    prompts = rng.integers(PROMPT_MIN, PROMPT_MAX + 1, N_REQUESTS)
    outputs = np.minimum(rng.geometric(1.0 / OUT_MEAN, N_REQUESTS), OUT_MAX)
    return arrivals, prompts, outputs


def simulate_static(arrivals, prompts, outputs, t_context=0.0, t_token=T_TOKEN):
    n = len(arrivals)
    finish = np.zeros(n)
    t, i = 0.0, 0
    while i < n:
        t = max(t, arrivals[i])  # idle until the next arrival
        j = i
        while j < n and j - i < MAX_BATCH and arrivals[j] <= t:
            j += 1
        b = j - i
        # prefill, padded to the longest prompt in the batch
        t += T_BASE + t_token * b * prompts[i:j].max()
        # decode every slot until the longest output is finished
        steps = outputs[i:j].max()
        t += steps * (T_BASE + t_token * b)
        # cache reads: every slot holds the padded prompt plus one token per step
        t += t_context * b * (steps * prompts[i:j].max() + steps * (steps + 1) / 2)
        finish[i:j] = t
        i = j
    return finish


def simulate_iteration(arrivals, prompts, outputs, t_context=0.0, t_token=T_TOKEN):
    n = len(arrivals)
    finish = np.zeros(n)
    remaining = outputs.astype(np.int64).copy()
    running: list[int] = []
    t, nxt = 0.0, 0
    while nxt < n or running:
        if not running and arrivals[nxt] > t:
            t = arrivals[nxt]  # idle until the next arrival
        new = []
        while nxt < n and len(running) + len(new) < MAX_BATCH and arrivals[nxt] <= t:
            new.append(nxt)
            nxt += 1
        # one pass: decode one token for each running sequence, prefill the new
        # ones (their prefill also yields their first output token)
        tokens = len(running) + int(prompts[new].sum()) if new else len(running)
        t += T_BASE + t_token * tokens
        if t_context and running:  # decoding sequences read prompt + generated so far
            cached = int((prompts[running] + outputs[running] - remaining[running]).sum())
            t += t_context * cached
        still = []
        for r in running + new:
            remaining[r] -= 1
            if remaining[r] == 0:
                finish[r] = t
            else:
                still.append(r)
        running = still
    return finish


def metrics(arrivals, outputs, finish):
    lat = finish - arrivals
    makespan = finish.max() - arrivals[0]
    return {
        "throughput": outputs.sum() / makespan,  # output tokens per second
        "p50": float(np.percentile(lat, 50)),
        "p95": float(np.percentile(lat, 95)),
    }


def peak_throughputs(rates, **costs) -> dict[str, float]:
    """Highest throughput each policy reaches over the given loads, with the cost model's inputs changed."""
    peaks = {"static": 0.0, "iteration": 0.0}
    for k, rate in enumerate(rates):
        arr, pr, out = workload(rate, np.random.default_rng(SEED + k))
        for name, sim in (("static", simulate_static), ("iteration", simulate_iteration)):
            peaks[name] = max(peaks[name], metrics(arr, out, sim(arr, pr, out, **costs))["throughput"])
    return peaks


def main() -> None:
    results = {"static": [], "iteration": []}
    for k, rate in enumerate(RATES):
        rng = np.random.default_rng(SEED + k)
        arr, pr, out = workload(rate, rng)
        results["static"].append(metrics(arr, out, simulate_static(arr, pr, out)))
        results["iteration"].append(metrics(arr, out, simulate_iteration(arr, pr, out)))

    print(f"cost model: T_BASE={T_BASE * 1e3:.1f} ms, T_TOKEN={T_TOKEN * 1e3:.2f} ms/token, MAX_BATCH={MAX_BATCH}")
    print(f"workload: prompts U[{PROMPT_MIN},{PROMPT_MAX}], outputs geometric mean {OUT_MEAN} cap {OUT_MAX}, {N_REQUESTS} requests per rate")
    print(f"{'rate':>5} | {'static tok/s':>12} {'p50 s':>8} {'p95 s':>8} | {'iter tok/s':>10} {'p50 s':>8} {'p95 s':>8}")
    for rate, s, it in zip(RATES, results["static"], results["iteration"], strict=True):
        print(f"{rate:5.1f} | {s['throughput']:12.0f} {s['p50']:8.2f} {s['p95']:8.2f} | {it['throughput']:10.0f} {it['p50']:8.2f} {it['p95']:8.2f}")
    smax = max(m["throughput"] for m in results["static"])
    imax = max(m["throughput"] for m in results["iteration"])
    print(f"peak throughput: static {smax:.0f} tok/s, iteration {imax:.0f} tok/s, ratio {imax / smax:.2f}")
    # sensitivity: add the key-value cache reads the cost model leaves out
    peaks = peak_throughputs(RATES, t_context=T_CONTEXT)
    print(
        f"with cache reads (measured {MEASURED_S_PER_CACHED_TOKEN * 1e9:.1f} ns per cached "
        f"token per pass on the H100, i.e. T_CONTEXT={T_CONTEXT * 1e9:.1f} ns here): "
        f"peak static {peaks['static']:.0f} tok/s, iteration {peaks['iteration']:.0f} tok/s, "
        f"ratio {peaks['iteration'] / peaks['static']:.2f}"
    )
    # sensitivity: the per-token cost, from the measured GEMM rate and around it
    print(
        f"per-token cost from the H100 ({MEASURED_S_PER_PREFILL_TOKEN * 1e6:.1f} us per "
        f"prefill token, 1/{MEASURED_B1_CTX1024_MS * 1e-3 / MEASURED_S_PER_PREFILL_TOKEN:.0f} "
        f"of a batch-1 step): T_TOKEN={T_TOKEN_MEASURED * 1e3:.4f} ms here"
    )
    for t_token in T_TOKEN_SWEEP:
        peaks = peak_throughputs(SWEEP_RATES, t_token=t_token)
        print(
            f"  T_TOKEN={t_token * 1e3:.4f} ms (loads up to {SWEEP_RATES[-1]} req/s): "
            f"peak static {peaks['static']:.0f} tok/s, iteration {peaks['iteration']:.0f} "
            f"tok/s, ratio {peaks['iteration'] / peaks['static']:.2f}"
        )
    q = RATES.index(QUOTE_RATE)
    s, it = results["static"][q], results["iteration"][q]
    print(f"at {QUOTE_RATE} req/s: p50 static {s['p50']:.2f} s vs iteration {it['p50']:.2f} s; p95 static {s['p95']:.2f} s vs iteration {it['p95']:.2f} s")

    # cross-check of the worked example: mean length of the longest output in a
    # full batch of MAX_BATCH requests, and the share of decode slot-steps that
    # produce a token a client asked for
    rng = np.random.default_rng(SEED)
    samples = np.minimum(rng.geometric(1.0 / OUT_MEAN, (20000, MAX_BATCH)), OUT_MAX)
    longest = samples.max(axis=1).mean()
    print(f"full batch of {MAX_BATCH}: mean output {samples.mean():.1f}, mean longest {longest:.1f}, useful decode slot share {samples.mean() / longest:.1%}")
    # and the padded prefill of a full static batch: the longest of MAX_BATCH prompts
    longest_prompt = rng.integers(PROMPT_MIN, PROMPT_MAX + 1, (20000, MAX_BATCH)).max(axis=1).mean()
    prefill = T_BASE + T_TOKEN * MAX_BATCH * longest_prompt
    batch_s = prefill + longest * (T_BASE + T_TOKEN * MAX_BATCH)
    print(
        f"full static batch: mean longest prompt {longest_prompt:.1f}, padded prefill "
        f"{prefill * 1e3:.0f} ms, batch {batch_s:.2f} s, {MAX_BATCH * OUT_MEAN / batch_s:.0f} tok/s"
    )

    fig, (ax1, ax2) = new_figure(width=9.0, height=3.8, ncols=2)
    for name, label, color, marker in [
        ("static", "Request-level (static)", PALETTE[1], "s"),
        ("iteration", "Iteration-level", PALETTE[0], "o"),
    ]:
        ax1.plot(RATES, [m["throughput"] for m in results[name]], marker=marker, color=color, label=label)
        ax2.plot(RATES, [m["p50"] for m in results[name]], marker=marker, color=color)
        ax2.plot(RATES, [m["p95"] for m in results[name]], marker=marker, color=color, linestyle="--", alpha=0.7)
    ax1.set_xlabel("Offered load (requests/s)")
    ax1.set_ylabel("Output tokens/s (simulated)")
    ax1.set_title("(a) Throughput")
    ax1.legend(loc="upper left", fontsize=9)
    ax2.set_xlabel("Offered load (requests/s)")
    ax2.set_ylabel("End-to-end latency (s, log scale)")
    ax2.set_yscale("log")
    ax2.set_ylim(0.2, 2000)
    ax2.set_title("(b) Latency")
    ax2.plot([], [], color="0.3", label="p50 (median)")
    ax2.plot([], [], color="0.3", linestyle="--", label="p95")
    ax2.legend(loc="lower right", fontsize=9)
    save(fig, "iteration-batching-sim")


if __name__ == "__main__":
    main()
