"""Discrete-event simulation of three batching policies on one simulated Llama 3 8B / H100 SXM.

Writes figures/batching-scheduling.svg and prints the numbers quoted in articles/batching.md.

The engine's step time comes from the same roofline model as batching_roofline.py (upper-bound
speeds from the H100 SXM datasheet: 989 TFLOP/s dense BF16, 3.35 TB/s). Only tokens that produce
a next-token distribution (each decode, and the last token of a prompt) go through the output
head, as in serving engines. The workload is synthetic and fixed by a seed:
- Poisson arrivals at a given rate (requests per second), 6000 requests per run;
- prompt lengths uniform on [256, 2048] tokens;
- output lengths log-normal with median 128 tokens and sigma 1.0, clipped to [8, 1024].
Statistics skip the first 1000 requests (warm-up), and served throughput counts the tokens
generated between the arrival of request 1000 and that of the last request, so that a run past
saturation shows a growing queue instead of a transient.

Policies, all with at most 128 sequences in flight:
- request-level: when the engine is idle it takes up to 128 waiting requests, prefills them in
  one step, and decodes until the last of them finishes; new requests wait for the whole batch
  (a request's latency ends at its own last token, which favors this policy);
- iteration-level: before every step, waiting requests fill free slots; their whole prompts are
  prefilled in that step next to the running decodes (Orca-style, no chunking);
- chunked prefill: like iteration-level, but each step processes at most 512 tokens; decodes go
  first and prompt chunks fill the rest (Sarathi-Serve-style).

Capacity: each policy is also run overloaded (all 6000 requests arrive within 30 s) and its
served rate between the 1000th and the 5000th completion is printed. A uniform slowdown of every
step (real H100 steps take 1.17-1.35x this roofline, measurements of 2026-11-28) divides all
capacities by the same factor and cannot change their ratios, so the sensitivity runs vary the two
inputs that can: the spread of output lengths (sigma 1.0, 0.5, 0.25) and the number of sequences
in flight (128, 256). The simulation has no KV-capacity check and no preemption, so each run also
prints the largest KV cache it held, to show it stays within the 69.5 GB left next to the weights
(the H100 80GB holds 81,559 MiB = 85.5 GB as nvidia-smi reports it, as in batching_roofline.py);
with 512 sequences in flight the unchunked policies would exceed it (vLLM's H100 default is 1024).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from _style import new_figure, save

LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256
BYTES = 2
PEAK_FLOPS, HBM_BW = 989e12, 3.35e12
LAYER_PARAMS = LAYERS * (2 * D_MODEL * N_HEADS * D_HEAD + 2 * D_MODEL * N_KV * D_HEAD
                         + 3 * D_MODEL * D_FFN)
HEAD_PARAMS = VOCAB * D_MODEL
WEIGHT_BYTES = (LAYER_PARAMS + HEAD_PARAMS) * BYTES
KV_BYTES_PER_TOKEN = 2 * LAYERS * N_KV * D_HEAD * BYTES
MAX_SEQS = 128
TOKEN_BUDGET = 512
N_REQUESTS = 6000
WARMUP = 1000
SEED = 0
SIGMA = 1.0  # log-normal spread of output lengths
HBM_BYTES = 81559 * 2**20  # an H100 80GB as nvidia-smi reports it: 85.5 GB (the label is 80 GB)
FREE_KV_BYTES = HBM_BYTES - (LAYER_PARAMS + 2 * HEAD_PARAMS) * BYTES  # HBM left next to the weights


def step_time(decode_contexts: list[int], prefill_chunks: list[tuple[int, int]], logits: int) -> float:
    """Roofline time of one step.

    decode_contexts: context length of each decoding sequence (one new token each).
    prefill_chunks: (start, length) of each prompt chunk processed in this step.
    logits: number of tokens that go through the output head.
    """
    tokens = len(decode_contexts) + sum(n for _, n in prefill_chunks)
    lin_flops = 2 * LAYER_PARAMS * tokens + 2 * HEAD_PARAMS * logits
    lin = max(lin_flops / PEAK_FLOPS, WEIGHT_BYTES / HBM_BW)
    kv_read = sum(decode_contexts) * KV_BYTES_PER_TOKEN
    dec_flops = 4 * LAYERS * N_HEADS * D_HEAD * sum(decode_contexts)
    # a chunk of n tokens starting at position s attends to about s + n/2 keys per token
    pre_flops = sum(4 * LAYERS * N_HEADS * D_HEAD * n * (s + n / 2) for s, n in prefill_chunks)
    attn = max((dec_flops + pre_flops) / PEAK_FLOPS, kv_read / HBM_BW)
    return lin + attn


def workload(rate: float, rng: np.random.Generator, sigma: float = SIGMA):
    arrivals = np.cumsum(rng.exponential(1.0 / rate, N_REQUESTS))
    prompts = rng.integers(256, 2049, N_REQUESTS)
    outputs = np.clip(np.round(rng.lognormal(np.log(128), sigma, N_REQUESTS)), 8, 1024).astype(int)
    return arrivals, prompts, outputs


def simulate(policy: str, rate: float, sigma: float = SIGMA, max_seqs: int = MAX_SEQS):
    rng = np.random.default_rng(SEED)
    arrivals, prompts, outputs = workload(rate, rng, sigma)
    n = N_REQUESTS
    done_at = np.zeros(n)
    token_times: list[list[float]] = [[] for _ in range(n)]
    t = 0.0
    nxt = 0  # next request not yet arrived into the queue
    queue: deque[int] = deque()
    # running state: request id -> [prefilled tokens, generated tokens]
    running: dict[int, list[int]] = {}
    finished = 0
    peak_kv_tokens = 0
    while finished < n:
        while nxt < n and arrivals[nxt] <= t:
            queue.append(nxt)
            nxt += 1
        if not running and not queue:
            t = arrivals[nxt]
            continue
        if policy == "request":
            if not running:
                while queue and len(running) < max_seqs:
                    running[queue.popleft()] = [0, 0]
        else:
            while queue and len(running) < max_seqs:
                running[queue.popleft()] = [0, 0]
        decodes, chunks, chunk_of = [], [], {}
        budget = TOKEN_BUDGET if policy == "chunked" else 10**9
        for r, (pre, gen) in running.items():
            if pre == prompts[r] and gen < outputs[r]:
                decodes.append(pre + gen)
                budget -= 1
        logits = len(decodes)
        for r, (pre, _gen) in running.items():
            if pre < prompts[r] and budget > 0:
                take = min(prompts[r] - pre, budget)
                chunks.append((pre, take))
                chunk_of[r] = take
                budget -= take
                logits += pre + take == prompts[r]
        t += step_time(decodes, chunks, logits)
        for r in list(running):
            pre, gen = running[r]
            if pre == prompts[r] and gen < outputs[r]:
                running[r][1] += 1
                token_times[r].append(t)
            elif r in chunk_of:
                running[r][0] += chunk_of[r]
                if running[r][0] == prompts[r]:  # last prompt chunk also yields the first token
                    running[r][1] = 1
                    token_times[r].append(t)
            if running[r][1] >= outputs[r] and done_at[r] == 0:
                done_at[r] = t
                finished += 1
                if policy != "request":
                    del running[r]
        peak_kv_tokens = max(peak_kv_tokens, sum(pre + gen for pre, gen in running.values()))
        if policy == "request" and all(running[r][1] >= outputs[r] for r in running):
            running.clear()
    return arrivals, outputs, done_at, token_times, peak_kv_tokens


def tokens_in(token_times: list[list[float]], start: float, end: float) -> int:
    all_times = np.concatenate([np.asarray(ts) for ts in token_times])
    return int(((all_times >= start) & (all_times < end)).sum())


def steady_state(policy: str, rate: float) -> dict[str, float]:
    arrivals, outputs, done_at, token_times, _ = simulate(policy, rate)
    keep = slice(WARMUP, None)
    latency = (done_at - arrivals)[keep]
    kept_times = token_times[WARMUP:]
    gaps = np.concatenate([np.diff(ts) for ts in kept_times if len(ts) > 1])
    ttft = np.array([ts[0] for ts in kept_times]) - arrivals[keep]
    start, end = arrivals[WARMUP], arrivals[-1]
    return {
        "mean_latency": float(latency.mean()),
        "p50_ttft": float(np.median(ttft)),
        "p99_tbt_ms": float(np.percentile(gaps, 99) * 1e3),
        "offered": float(rate * outputs.mean()),
        "served": tokens_in(token_times, start, end) / (end - start),
    }


def capacity(policy: str, sigma: float = SIGMA, max_seqs: int = MAX_SEQS) -> tuple[float, float]:
    """Served output tokens per second with a queue that never empties, and the peak KV cache (bytes)."""
    _, _, done_at, token_times, peak = simulate(policy, N_REQUESTS / 30.0, sigma, max_seqs)
    order = np.sort(done_at)
    start, end = order[WARMUP], order[N_REQUESTS - WARMUP]
    return tokens_in(token_times, start, end) / (end - start), peak * KV_BYTES_PER_TOKEN


def main() -> None:
    rates = [2, 6, 10, 14, 18, 22, 26, 28, 30, 32, 34]
    policies = [("request", "request-level"), ("iteration", "iteration-level"),
                ("chunked", "iteration-level + chunked prefill (512)")]
    results = {p: [steady_state(p, r) for r in rates] for p, _ in policies}
    rng = np.random.default_rng(SEED)
    _, prompts, outputs = workload(rates[0], rng)
    mean_out = outputs.mean()
    print(f"mean prompt {prompts.mean():.0f} tokens, mean output {mean_out:.0f} tokens, "
          f"max output {outputs.max()}")
    prefill = 2 * LAYER_PARAMS * 2048 + 2 * HEAD_PARAMS + 2 * LAYERS * N_HEADS * D_HEAD * 2048**2
    print(f"2048-token prefill alone: {prefill / PEAK_FLOPS * 1e3:.1f} ms (compute roof)")
    for p, label in policies:
        for r, res in zip(rates, results[p], strict=True):
            print(f"{label:40s} rate {r:3d}/s: mean latency {res['mean_latency']:7.2f} s, "
                  f"p50 TTFT {res['p50_ttft']:6.2f} s, p99 TBT {res['p99_tbt_ms']:6.1f} ms, "
                  f"offered {res['offered']:6.0f} tok/s, served {res['served']:6.0f} tok/s")
    print(f"KV cache room next to the weights: {FREE_KV_BYTES / 1e9:.1f} GB")
    for sigma, max_seqs in ((1.0, 128), (0.5, 128), (0.25, 128), (1.0, 256)):
        _, _, outs = workload(rates[0], np.random.default_rng(SEED), sigma)
        caps = {}
        for p, label in policies:
            cap, peak = capacity(p, sigma, max_seqs)
            caps[p] = cap / outs.mean()
            print(f"sigma {sigma:4.2f}, {max_seqs} in flight, {label:40s}: capacity {cap:6.0f} tok/s "
                  f"= {caps[p]:5.1f} requests/s (mean output {outs.mean():.0f}); peak KV cache {peak / 1e9:5.1f} GB")
        print(f"sigma {sigma:4.2f}, {max_seqs} in flight: iteration-level / request-level "
              f"{caps['iteration'] / caps['request']:.2f}x, chunked / request-level {caps['chunked'] / caps['request']:.2f}x")

    fig, (ax1, ax2, ax3) = new_figure(width=12.0, height=3.9, ncols=3)
    for (p, label), marker in zip(policies, ("o", "s", "^"), strict=True):
        ax1.plot(rates, [x["mean_latency"] for x in results[p]], marker=marker, label=label)
        ax2.plot(rates, [x["p99_tbt_ms"] for x in results[p]], marker=marker, label=label)
        ax3.plot([x["offered"] for x in results[p]], [x["served"] for x in results[p]],
                 marker=marker, label=label)
    top = max(x["offered"] for x in results["request"])
    ax3.plot([0, top], [0, top], color="#000000", linestyle="--", linewidth=1, label="served = offered")
    ax1.set_yscale("log")
    ax1.set_xlabel("arrival rate (requests per second)")
    ax1.set_ylabel("mean end-to-end latency (s)")
    ax1.set_title("(a) request latency")
    ax2.set_xlabel("arrival rate (requests per second)")
    ax2.set_ylabel("p99 time between tokens (ms)")
    ax2.set_title("(b) decode stalls")
    ax3.set_xlabel("offered load (output tokens per second)")
    ax3.set_ylabel("served (output tokens per second)")
    ax3.set_title("(c) throughput")
    ax3.legend(fontsize=8, loc="upper left")
    save(fig, "batching-scheduling")


if __name__ == "__main__":
    main()
