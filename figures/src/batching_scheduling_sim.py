"""Discrete-event simulation of three batching policies on one simulated Llama 3 8B / H100 SXM.

Writes figures/batching-scheduling.svg and prints the numbers quoted in articles/batching.md.

The engine's step time comes from the same roofline model as batching_roofline.py (upper-bound
speeds from the H100 SXM datasheet: 989 TFLOP/s dense BF16, 3.35 TB/s). The workload is synthetic
and fixed by a seed:
- Poisson arrivals at a given rate (requests per second), 1500 requests per run;
- prompt lengths uniform on [256, 2048] tokens;
- output lengths log-normal with median 128 tokens and sigma 1.0, clipped to [8, 1024].

Policies, all with at most 128 sequences in flight:
- request-level: when the engine is idle it takes up to 128 waiting requests, prefills them in
  one step, and decodes until the last of them finishes; new requests wait for the whole batch
  (a request's latency ends at its own last token, which favors this policy);
- iteration-level: before every step, waiting requests fill free slots; their whole prompts are
  prefilled in that step next to the running decodes (Orca-style, no chunking);
- chunked prefill: like iteration-level, but each step processes at most 512 tokens; decodes go
  first and prompt chunks fill the rest (Sarathi-Serve-style).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from _style import new_figure, save

LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 32, 4096, 32, 8, 128, 14336, 128256
BYTES = 2
PEAK_FLOPS, HBM_BW = 989e12, 3.35e12
LINEAR_PARAMS = LAYERS * (2 * D_MODEL * N_HEADS * D_HEAD + 2 * D_MODEL * N_KV * D_HEAD
                          + 3 * D_MODEL * D_FFN) + VOCAB * D_MODEL
WEIGHT_BYTES = LINEAR_PARAMS * BYTES
KV_BYTES_PER_TOKEN = 2 * LAYERS * N_KV * D_HEAD * BYTES
MAX_SEQS = 128
TOKEN_BUDGET = 512
N_REQUESTS = 1500
SEED = 0


def step_time(decode_contexts: list[int], prefill_chunks: list[tuple[int, int]]) -> float:
    """Roofline time of one step.

    decode_contexts: context length of each decoding sequence (one new token each).
    prefill_chunks: (start, length) of each prompt chunk processed in this step.
    """
    tokens = len(decode_contexts) + sum(n for _, n in prefill_chunks)
    lin = max(2 * LINEAR_PARAMS * tokens / PEAK_FLOPS, WEIGHT_BYTES / HBM_BW)
    kv_read = sum(decode_contexts) * KV_BYTES_PER_TOKEN
    dec_flops = 4 * LAYERS * N_HEADS * D_HEAD * sum(decode_contexts)
    # a chunk of n tokens starting at position s attends to about s + n/2 keys per token
    pre_flops = sum(4 * LAYERS * N_HEADS * D_HEAD * n * (s + n / 2) for s, n in prefill_chunks)
    attn = max((dec_flops + pre_flops) / PEAK_FLOPS, kv_read / HBM_BW)
    return lin + attn


def workload(rate: float, rng: np.random.Generator):
    arrivals = np.cumsum(rng.exponential(1.0 / rate, N_REQUESTS))
    prompts = rng.integers(256, 2049, N_REQUESTS)
    outputs = np.clip(np.round(rng.lognormal(np.log(128), 1.0, N_REQUESTS)), 8, 1024).astype(int)
    return arrivals, prompts, outputs


def simulate(policy: str, rate: float):
    rng = np.random.default_rng(SEED)
    arrivals, prompts, outputs = workload(rate, rng)
    n = N_REQUESTS
    done_at = np.zeros(n)
    token_times: list[list[float]] = [[] for _ in range(n)]
    t = 0.0
    nxt = 0  # next request not yet arrived into the queue
    queue: deque[int] = deque()
    # running state: request id -> [prefilled tokens, generated tokens]
    running: dict[int, list[int]] = {}
    finished = 0
    while finished < n:
        while nxt < n and arrivals[nxt] <= t:
            queue.append(nxt)
            nxt += 1
        if not running and not queue:
            t = arrivals[nxt]
            continue
        if policy == "request":
            if not running:
                while queue and len(running) < MAX_SEQS:
                    running[queue.popleft()] = [0, 0]
        else:
            while queue and len(running) < MAX_SEQS:
                running[queue.popleft()] = [0, 0]
        decodes, chunks, chunk_of = [], [], {}
        budget = TOKEN_BUDGET if policy == "chunked" else 10**9
        for r, (pre, gen) in running.items():
            if pre == prompts[r] and gen < outputs[r]:
                decodes.append(pre + gen)
                budget -= 1
        for r, (pre, _gen) in running.items():
            if pre < prompts[r] and budget > 0:
                take = min(prompts[r] - pre, budget)
                chunks.append((pre, take))
                chunk_of[r] = take
                budget -= take
        t += step_time(decodes, chunks)
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
        if policy == "request" and all(running[r][1] >= outputs[r] for r in running):
            running.clear()
    latency = done_at - arrivals
    gaps = np.concatenate([np.diff(ts) for ts in token_times if len(ts) > 1])
    ttft = np.array([ts[0] for ts in token_times]) - arrivals
    gen_tokens = outputs.sum()
    return {
        "mean_latency": float(latency.mean()),
        "p50_ttft": float(np.median(ttft)),
        "p99_tbt_ms": float(np.percentile(gaps, 99) * 1e3),
        "throughput": float(gen_tokens / (done_at.max() - arrivals[0])),
    }


def main() -> None:
    rates = [2, 6, 10, 14, 18, 22, 26, 30, 34]
    policies = [("request", "request-level"), ("iteration", "iteration-level"),
                ("chunked", "iteration-level + chunked prefill (512)")]
    results = {p: [simulate(p, r) for r in rates] for p, _ in policies}
    rng = np.random.default_rng(SEED)
    _, prompts, outputs = workload(rates[0], rng)
    print(f"mean prompt {prompts.mean():.0f} tokens, mean output {outputs.mean():.0f} tokens, "
          f"max output {outputs.max()}")
    for p, label in policies:
        for r, res in zip(rates, results[p], strict=True):
            print(f"{label:40s} rate {r:3d}/s: mean latency {res['mean_latency']:7.2f} s, "
                  f"p50 TTFT {res['p50_ttft']:6.2f} s, p99 TBT {res['p99_tbt_ms']:6.1f} ms, "
                  f"throughput {res['throughput']:6.0f} tok/s")

    fig, (ax1, ax2) = new_figure(width=9.0, height=3.8, ncols=2)
    for (p, label), marker in zip(policies, ("o", "s", "^"), strict=True):
        ax1.plot(rates, [x["mean_latency"] for x in results[p]], marker=marker, label=label)
        ax2.plot(rates, [x["p99_tbt_ms"] for x in results[p]], marker=marker, label=label)
    ax1.set_yscale("log")
    ax1.set_xlabel("arrival rate (requests per second)")
    ax1.set_ylabel("mean end-to-end latency (s)")
    ax1.set_title("(a) request latency")
    ax2.set_xlabel("arrival rate (requests per second)")
    ax2.set_ylabel("p99 time between tokens (ms)")
    ax2.set_title("(b) decode stalls")
    ax1.legend(fontsize=8)
    save(fig, "batching-scheduling")


if __name__ == "__main__":
    main()
