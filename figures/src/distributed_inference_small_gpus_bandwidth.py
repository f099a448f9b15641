"""Per-token latency of Llama 3 70B split over four GPUs, tensor versus pipeline parallelism,
as a function of the GPU-to-GPU link bandwidth.

Writes figures/distributed-inference-small-gpus-bandwidth.svg and prints every number quoted in
articles/distributed-inference-small-gpus.md (including the table of latency floors).

Model (all inputs stated; no measurement):
- Llama 3 70B shapes (config.json): 80 layers, d_model 8192, 64 query heads and 8 KV heads of
  dimension 128, FFN 28672, vocabulary 128256, untied embeddings.
- GPU: NVIDIA L40S (datasheet): 48 GB GDDR6 at 864 GB/s, 362 TFLOP/s dense BF16 Tensor Core,
  PCIe Gen4 x16 "64 GB/s bidirectional", i.e. 32 GB/s per direction.
  RTX A6000 (datasheet): 48 GB at 768 GB/s, NVLink bridge 112.5 GB/s bidirectional.
- Every kernel runs at the datasheet peak: time = max(FLOPs / peak, bytes / bandwidth), summed
  over the linear layers and attention. This is a floor on latency, not a prediction. The project's
  H100 measurement (decode step 1.17-1.35x this floor) is used only to print a sensitivity range.
- Tensor parallelism (Megatron-LM): two all-reduces of the activations (B x d_model values) per
  layer. MODELLING CHOICE: a small all-reduce costs one fixed latency per collective plus a
  per-step latency for each of its 2 (N - 1) ring steps, plus the ring's bandwidth term:
      T_AR = a0 + 2 (N - 1) a_step + 2 (N - 1) (S / N) / beta.
  Default a0 = 6.6 us, a_step = 1.0 us over PCIe (0.6 us over NVLink): NCCL's own tuning constants
  for the ring / LL protocol (src/graph/tuning.cc, NCCL 2.30.7). Sensitivity: a0 = 0 and
  a_step = 10 us, i.e. every ring step a separate 10 us message (this page's model before
  2026-11-28).
- Pipeline parallelism: one point-to-point send of the activations per stage boundary, plus one
  hop to return the sampled token to the first stage; for a single sequence the stages run one
  after another, so their times add. Each hop costs ALPHA_HOP (10 us, close to the 11.7 us that one
  separately issued 16 KiB PCIe copy took on the project's H100 host).
- Prefill. MODELLING CHOICE for the pipeline: the prompt is cut into M equal chunks that follow each
  other through the stages (chunked pipelined prefill); every chunk re-reads its stage's weights,
  so small chunks become memory-bound. M = 1 is the sequential pass; the best M is reported. For
  tensor parallelism: no overlap of all-reduces with compute (sum), or perfect overlap (max).
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

# Llama 3 70B
LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 80, 8192, 64, 8, 128, 28672, 128256

attn_params = 2 * D_MODEL * N_HEADS * D_HEAD + 2 * D_MODEL * N_KV * D_HEAD
mlp_params = 3 * D_MODEL * D_FFN
LAYER_PARAMS = LAYERS * (attn_params + mlp_params)
EMBED_PARAMS = VOCAB * D_MODEL
TOTAL_PARAMS = LAYER_PARAMS + 2 * EMBED_PARAMS
LINEAR_PARAMS = LAYER_PARAMS + EMBED_PARAMS  # layers + output head: what a decode step reads
KV_PER_TOKEN_ELEMS = 2 * LAYERS * N_KV * D_HEAD

# Hardware (datasheets)
L40S_BW, L40S_FLOPS, L40S_MEM = 864e9, 362e12, 48e9
A6000_BW, A6000_MEM = 768e9, 48e9
PCIE4_BETA = 64e9 / 2  # per direction
A6000_NVLINK_BETA = 112.5e9 / 2  # per direction

# All-reduce latency (NCCL 2.30.7 tuning constants, ring algorithm, LL protocol)
A0_NCCL = 6.6e-6  # base latency per collective
A_STEP_PCIE = 1.0e-6  # per ring step over PCIe
A_STEP_NVLINK = 0.6e-6  # per ring step over NVLink
A_STEP_OLD = 10e-6  # sensitivity: every ring step a separate 10 us message, no base
ALPHA_HOP = 10e-6  # one pipeline hop (point-to-point send)

# Measured on one H100 SXM (measurements page, 2026-11-28)
MEASURED_STEP_OVER_FLOOR = (1.17, 1.35)  # decode step / roofline floor
MEASURED_PINNED_H2D, MEASURED_PAGEABLE_H2D, PCIE5_PER_DIR = 55.2e9, 18.0e9, 64e9
MEASURED_16K_COPY_GBPS = 1.4e9

N_GPUS = 4
CONTEXT = 2048
PROMPT = 2048
OFFLOAD_RESERVE = 4e9  # GPU memory kept free for KV cache, activations and runtime when offloading


def wbytes_grouped(bits: int) -> float:
    """Bytes per weight of a group-wise format as AutoAWQ/AutoGPTQ store it: `bits`-bit weights,
    one FP16 scale and one `bits`-bit zero point per group of 128."""
    return (bits + (16 + bits) / 128) / 8


W4 = wbytes_grouped(4)  # 4.156 bits per weight
W8 = wbytes_grouped(8)


def weight_bytes(w: float) -> tuple[float, float]:
    """(bytes stored, bytes read per decode step); embeddings and output head stay 16-bit."""
    if w == 2.0:
        return TOTAL_PARAMS * 2.0, LINEAR_PARAMS * 2.0
    return LAYER_PARAMS * w + 2 * EMBED_PARAMS * 2.0, LAYER_PARAMS * w + EMBED_PARAMS * 2.0


def roof(flops: float, nbytes: float, peak: float, bw: float) -> float:
    return max(flops / peak, nbytes / bw)


def compute_time(batch, context, w, n, peak, bw, kv_bytes=2.0) -> float:
    """Seconds of GPU work for one decode step on one of n GPUs that share the model evenly."""
    lin = roof(2 * LINEAR_PARAMS * batch / n, weight_bytes(w)[1] / n, peak, bw)
    attn_flops = 4 * LAYERS * N_HEADS * D_HEAD * context * batch / n
    attn_bytes = KV_PER_TOKEN_ELEMS * kv_bytes * context * batch / n
    return lin + roof(attn_flops, attn_bytes, peak, bw)


def allreduce(nbytes, n, beta, a0=A0_NCCL, a_step=A_STEP_PCIE) -> float:
    """Small-message ring all-reduce: per-collective plus per-step latency, plus bandwidth term."""
    if n == 1:
        return 0.0
    steps = 2 * (n - 1)
    return a0 + steps * a_step + steps * nbytes / n / beta


def ar_latency(n, a0=A0_NCCL, a_step=A_STEP_PCIE) -> float:
    return allreduce(0, n, 1.0, a0, a_step)


def decode_tp(batch, n=N_GPUS, beta=PCIE4_BETA, w=2.0, peak=L40S_FLOPS, bw=L40S_BW, context=CONTEXT, a0=A0_NCCL, a_step=A_STEP_PCIE, ar=None):
    """(seconds per step, of which communication). `ar` overrides the per-all-reduce latency."""
    msg = batch * D_MODEL * 2  # BF16 activations
    one = allreduce(msg, n, beta, a0, a_step) if ar is None else ar + allreduce(msg, n, beta, 0.0, 0.0)
    comm = 2 * LAYERS * one
    return compute_time(batch, context, w, n, peak, bw) + comm, comm


def decode_pp(batch, n=N_GPUS, beta=PCIE4_BETA, w=2.0, peak=L40S_FLOPS, bw=L40S_BW, context=CONTEXT, hop=ALPHA_HOP):
    msg = batch * D_MODEL * 2
    comm = (n - 1) * (hop + msg / beta) + hop  # activations forward, sampled token back
    # Stages run in sequence for one token: total work equals the whole model on one GPU.
    return compute_time(batch, context, w, 1, peak, bw) + comm, comm


def prefill_flops(prompt: int) -> float:
    return 2 * LINEAR_PARAMS * prompt + 2 * LAYERS * N_HEADS * D_HEAD * prompt * prompt  # causal attention


def prefill_tp(prompt=PROMPT, n=N_GPUS, beta=PCIE4_BETA, overlap=False, peak=L40S_FLOPS):
    comm = 2 * LAYERS * allreduce(prompt * D_MODEL * 2, n, beta)
    work = roof(prefill_flops(prompt) / n, LINEAR_PARAMS * 2 / n, peak, L40S_BW)
    return (max(work, comm) if overlap else work + comm), comm


def prefill_pp(prompt=PROMPT, n=N_GPUS, beta=PCIE4_BETA, chunks=1, hop=ALPHA_HOP, peak=L40S_FLOPS):
    """Prompt cut into `chunks` near-equal chunks that flow through n stages; returns seconds."""
    sizes = [prompt // chunks + (1 if j < prompt % chunks else 0) for j in range(chunks)]
    stage_w = LINEAR_PARAMS * 2 / n
    times, xfers, start = [], [], 0
    for c in sizes:
        lin = 2 * LINEAR_PARAMS / n * c
        attn = 4 * (LAYERS / n) * N_HEADS * D_HEAD * (c * start + c * c / 2)  # causal, over earlier chunks too
        kv = KV_PER_TOKEN_ELEMS * 2 / n * (start + c)
        times.append(roof(lin + attn, stage_w + kv, peak, L40S_BW))
        xfers.append(hop + c * D_MODEL * 2 / beta)
        start += c
    finish = [0.0] * chunks  # finish time of each chunk on the previous stage
    for s in range(n):
        done = 0.0
        for j in range(chunks):
            ready = finish[j] + (xfers[j] if s > 0 else 0.0)
            done = max(ready, done) + times[j]
            finish[j] = done
    return finish[-1]


def prefill_pp_best(prompt=PROMPT, n=N_GPUS, beta=PCIE4_BETA, peak=L40S_FLOPS):
    """Chunked pipelined prefill with the best number of chunks (1 to 16)."""
    best = min(range(1, 17), key=lambda m: prefill_pp(prompt, n, beta, m, peak=peak))
    return prefill_pp(prompt, n, beta, best, peak=peak), best


def root(f, lo, hi, iters=100):
    """x in [lo, hi] where f changes sign (f monotone), by bisection on a log scale."""
    flo = f(lo) < 0
    for _ in range(iters):
        mid = (lo * hi) ** 0.5
        if (f(mid) < 0) == flo:
            lo = mid
        else:
            hi = mid
    return (lo * hi) ** 0.5


def crossover(f_tp, f_pp, lo=1e8, hi=1e12):
    """Bandwidth above which f_tp(beta) < f_pp(beta)."""
    return root(lambda b: f_tp(b) - f_pp(b), lo, hi)


def table_rows():
    """Latency floors for one sequence (batch 1, 2048-token context): (name, NCCL model, per-step model, comm)."""
    rows = []

    def tp(**kw):
        t, c = decode_tp(1, **kw)
        t_old, _ = decode_tp(1, a0=0.0, a_step=A_STEP_OLD, **kw)
        return t, t_old, c

    rows.append(("4x L40S, BF16, TP=4, PCIe", *tp()))
    t, c = decode_pp(1)
    rows.append(("4x L40S, BF16, PP=4, PCIe", t, t, c))
    rows.append(("4x L40S, 4-bit, TP=4, PCIe", *tp(w=W4)))
    rows.append(("2x L40S, 4-bit, TP=2, PCIe", *tp(n=2, w=W4)))
    # A6000 rows: memory-bound floor only (compute ignored; at batch 1 it is under 1 ms per token).
    t, c = decode_tp(1, n=1, w=W4, bw=A6000_BW, peak=np.inf)
    rows.append(("1x RTX A6000, 4-bit", t, t, c))
    t, c = decode_tp(1, n=2, w=W8, bw=A6000_BW, beta=A6000_NVLINK_BETA, peak=np.inf, a_step=A_STEP_NVLINK)
    t_old, _ = decode_tp(1, n=2, w=W8, bw=A6000_BW, beta=A6000_NVLINK_BETA, peak=np.inf, a0=0.0, a_step=A_STEP_OLD)
    rows.append(("2x RTX A6000, 8-bit, TP=2, NVLink bridge", t, t_old, c))
    # Offloading: what does not fit in GPU memory lives in host memory and crosses PCIe every step.
    streamed = LINEAR_PARAMS * 2 - (L40S_MEM - OFFLOAD_RESERVE)
    offload = streamed / PCIE4_BETA
    rows.append(("1x L40S, BF16, non-resident weights streamed over PCIe", offload, offload, offload))
    t, c = decode_pp(1, hop=5e-3)
    rows.append(("4 hosts, BF16, PP=4, 5 ms per hop", t, t, c))
    return rows


def main() -> None:
    print(f"total parameters          : {TOTAL_PARAMS / 1e9:.2f} B ({TOTAL_PARAMS * 2 / 1e9:.1f} GB in BF16)")
    print(f"parameters read per step  : {LINEAR_PARAMS / 1e9:.2f} B ({LINEAR_PARAMS * 2 / 1e9:.1f} GB in BF16)")
    print(
        f"4-bit format: {W4 * 8:.3f} bits/weight; checkpoint {weight_bytes(W4)[0] / 1e9:.1f} GB "
        f"({L40S_MEM / 1e9 - weight_bytes(W4)[0] / 1e9:.1f} GB left of 48); read per step {weight_bytes(W4)[1] / 1e9:.1f} GB"
    )
    print(f"8-bit format: {W8 * 8:.3f} bits/weight; checkpoint {weight_bytes(W8)[0] / 1e9:.1f} GB")
    kvb = KV_PER_TOKEN_ELEMS * 2
    print(f"KV cache per token (BF16) : {kvb} bytes ({kvb / 1024:.0f} KiB); 2048 tokens {kvb * 2048 / 1e6:.0f} MB")
    per_gpu = TOTAL_PARAMS * 2 / N_GPUS
    free = L40S_MEM - per_gpu
    print(f"BF16 weights per GPU (N=4): {per_gpu / 1e9:.1f} GB, {free / 1e9:.1f} GB left, room for {free / (kvb / N_GPUS) / 1e3:.0f}k tokens of KV cache")
    msg = D_MODEL * 2
    per_rank = 2 * (N_GPUS - 1) / N_GPUS * msg
    print(
        f"TP message B=1: {msg} bytes; all-reduces per token: {2 * LAYERS}; bytes sent per GPU per token "
        f"{2 * LAYERS * per_rank / 1e6:.2f} MB -> {2 * LAYERS * per_rank / PCIE4_BETA * 1e3:.3f} ms"
    )
    for name, kw in (("NCCL model", {}), ("10 us per step", {"a0": 0.0, "a_step": A_STEP_OLD})):
        print(
            f"all-reduce latency ({name}): N=4 {ar_latency(4, **kw) * 1e6:.1f} us, N=2 {ar_latency(2, **kw) * 1e6:.1f} us; "
            f"latency term per token N=4 {2 * LAYERS * ar_latency(4, **kw) * 1e3:.2f} ms"
        )
    print(f"N=2 NVLink all-reduce latency (NCCL model): {ar_latency(2, a_step=A_STEP_NVLINK) * 1e6:.1f} us")
    print(f"measured: one 16 KiB copy = {16384 / MEASURED_16K_COPY_GBPS * 1e6:.1f} us")
    mem1 = compute_time(1, CONTEXT, 2.0, 1, L40S_FLOPS, L40S_BW)
    mem4 = compute_time(1, CONTEXT, 2.0, 4, L40S_FLOPS, L40S_BW)
    print(f"memory term: one GPU {mem1 * 1e3:.1f} ms, per GPU at N=4 {mem4 * 1e3:.1f} ms")
    for b in (1, 32):
        for name, kw in (("NCCL", {}), ("10us/step", {"a0": 0.0, "a_step": A_STEP_OLD})):
            t_tp, c_tp = decode_tp(b, **kw)
            t_pp, _ = decode_pp(b)
            print(
                f"decode B={b:2d} [{name:9s}]: TP4 {t_tp * 1e3:6.1f} ms (comm {c_tp * 1e3:5.2f}, {c_tp / t_tp:.0%}), "
                f"PP4 {t_pp * 1e3:6.1f} ms; TP4 {b / t_tp:6.1f} tok/s, PP4 {b / t_pp:5.1f} tok/s"
            )
    lo, hi = MEASURED_STEP_OVER_FLOOR
    t, c = decode_tp(1)
    print(
        f"TP4 BF16 with measured step/floor {lo}-{hi} on the memory term: {(t - c) * lo * 1e3 + c * 1e3:.1f}-"
        f"{(t - c) * hi * 1e3 + c * 1e3:.1f} ms, comm share {c / ((t - c) * hi + c):.1%}-{c / ((t - c) * lo + c):.1%}"
    )
    t_old, c_old = decode_tp(1, a0=0.0, a_step=A_STEP_OLD)
    print(f"  same, 10 us per ring step: {(t_old - c_old) * lo * 1e3 + c_old * 1e3:.1f}-{(t_old - c_old) * hi * 1e3 + c_old * 1e3:.1f} ms")
    # 4-bit: TP4 vs TP2 vs one GPU, as a function of a common per-all-reduce latency
    for ar in (ar_latency(4), 20e-6, 60e-6):
        t4 = decode_tp(1, w=W4, ar=ar)[0]
        t2 = decode_tp(1, n=2, w=W4, ar=ar)[0]
        print(f"4-bit, all-reduce {ar * 1e6:5.1f} us: TP4 {t4 * 1e3:.1f} ms, TP2 {t2 * 1e3:.1f} ms")
    t4n, c4n = decode_tp(1, w=W4)
    t2n = decode_tp(1, n=2, w=W4)[0]
    t4o, c4o = decode_tp(1, w=W4, a0=0.0, a_step=A_STEP_OLD)
    t2o = decode_tp(1, n=2, w=W4, a0=0.0, a_step=A_STEP_OLD)[0]
    print(
        f"4-bit NCCL model: TP4 {t4n * 1e3:.1f} (comm {c4n / t4n:.0%}), TP2 {t2n * 1e3:.1f}; "
        f"10us/step: TP4 {t4o * 1e3:.1f} (comm {c4o / t4o:.0%}), TP2 {t2o * 1e3:.1f}"
    )
    flip = root(lambda x: decode_tp(1, w=W4, a0=0.0, a_step=x)[0] - decode_tp(1, n=2, w=W4, a0=0.0, a_step=x)[0], 1e-7, 1e-4)
    print(f"4-bit: TP2 faster than TP4 only if every ring step costs more than {flip * 1e6:.1f} us (no base latency)")
    # Prefill
    pre_bytes = 2 * LAYERS * 2 * (N_GPUS - 1) / N_GPUS * PROMPT * D_MODEL * 2
    print(
        f"prefill {PROMPT} tokens: FLOPs {prefill_flops(PROMPT) / 1e12:.0f} T; TP bytes sent per GPU {pre_bytes / 1e9:.2f} GB "
        f"({pre_bytes / PCIE4_BETA * 1e3:.0f} ms at 32 GB/s); compute on 4 GPUs {prefill_flops(PROMPT) / 4 / L40S_FLOPS * 1e3:.0f} ms"
    )
    print(f"  TP4 no overlap {prefill_tp()[0] * 1e3:.0f} ms, perfect overlap {prefill_tp(overlap=True)[0] * 1e3:.0f} ms")
    for m in (1, 2, 4, 5, 8, 16):
        print(f"  PP4 chunks {m:2d} ({PROMPT // m} tokens): {prefill_pp(chunks=m) * 1e3:.0f} ms")
    best, m = prefill_pp_best()
    print(f"  PP4 best: {best * 1e3:.0f} ms with {m} chunks")
    cr_seq = crossover(lambda b: prefill_tp(beta=b)[0], lambda b: prefill_pp(beta=b))
    cr_no = crossover(lambda b: prefill_tp(beta=b)[0], lambda b: prefill_pp_best(beta=b)[0])
    cr_ov = crossover(lambda b: prefill_tp(beta=b, overlap=True)[0], lambda b: prefill_pp_best(beta=b)[0])
    print(
        f"prefill crossover (TP faster above): vs sequential PP {cr_seq / 1e9:.1f} GB/s; vs chunked PP: "
        f"no overlap {cr_no / 1e9:.1f} GB/s, perfect overlap {cr_ov / 1e9:.1f} GB/s"
    )
    eff = 0.75  # measured compute-bound BF16 GEMMs: 733-759 of 989 TFLOP/s on an H100
    pk = L40S_FLOPS * eff
    print(
        f"  at 75% of peak FLOP/s: TP4 no overlap {prefill_tp(peak=pk)[0] * 1e3:.0f}, overlap "
        f"{prefill_tp(peak=pk, overlap=True)[0] * 1e3:.0f}, PP4 chunked {prefill_pp_best(peak=pk)[0] * 1e3:.0f} ms "
        f"({prefill_pp_best(peak=pk)[1]} chunks)"
    )
    # Decode at batch 32: bandwidth crossover inside a host, and over 10 GbE with per-step network latency
    cr32 = crossover(lambda b: decode_tp(32, beta=b)[0], lambda b: decode_pp(32, beta=b)[0])
    print(f"decode B=32 crossover bandwidth (NCCL model): {cr32 / 1e9:.2f} GB/s per direction")
    net_flip = root(lambda x: decode_tp(32, beta=1.25e9, a_step=x)[0] - decode_pp(32, beta=1.25e9, hop=x)[0], 1e-6, 1e-3)
    print(f"10 GbE, batch 32: PP4 faster than TP4 above {net_flip * 1e6:.0f} us per network message")
    for a_net in (10e-6, 50e-6):
        t_tp = decode_tp(32, beta=1.25e9, a0=A0_NCCL, a_step=a_net)[0]
        t_pp = decode_pp(32, beta=1.25e9, hop=a_net)[0]
        t1 = decode_tp(1, beta=1.25e9, a0=A0_NCCL, a_step=a_net)[0]
        print(f"10 GbE, {a_net * 1e6:.0f} us per network message: B=32 TP4 {t_tp * 1e3:.0f} ms vs PP4 {t_pp * 1e3:.0f} ms; B=1 TP4 {t1 * 1e3:.1f} ms")
    print(
        f"10 GbE prefill: TP4 {prefill_tp(beta=1.25e9)[0]:.2f} s, PP4 chunked {prefill_pp_best(beta=1.25e9)[0]:.2f} s "
        f"({prefill_pp_best(beta=1.25e9)[1]} chunks), sequential {prefill_pp(beta=1.25e9):.2f} s"
    )
    # Offloading sensitivity to the host-to-device rate actually reached (measured on PCIe Gen5)
    streamed = LINEAR_PARAMS * 2 - (L40S_MEM - OFFLOAD_RESERVE)
    print(
        f"offload: {streamed / 1e9:.0f} GB streamed per step; datasheet {streamed / PCIE4_BETA:.2f} s; "
        f"at measured pinned fraction {MEASURED_PINNED_H2D / PCIE5_PER_DIR:.0%}: {streamed / (PCIE4_BETA * MEASURED_PINNED_H2D / PCIE5_PER_DIR):.1f} s; "
        f"pageable {MEASURED_PAGEABLE_H2D / PCIE5_PER_DIR:.0%}: {streamed / (PCIE4_BETA * MEASURED_PAGEABLE_H2D / PCIE5_PER_DIR):.1f} s; "
        f"all weights streamed {LINEAR_PARAMS * 2 / PCIE4_BETA:.2f} s"
    )
    print("table: latency floors, batch 1, context 2048 (NCCL model | 10 us per ring step)")
    for name, t, t_old, c in table_rows():
        print(f"  {name:55s} {t * 1e3:8.1f} ms ({1 / t:6.1f} tok/s) comm {c * 1e3:7.2f} ms | {t_old * 1e3:8.1f} ms")

    bw = np.logspace(np.log10(0.1e9), np.log10(1000e9), 300)
    fig, (ax1, ax2) = new_figure(width=9.0, height=3.9, ncols=2)
    for color, b in zip(PALETTE, (1, 32), strict=False):
        ax1.plot(bw / 1e9, [decode_tp(b, beta=x)[0] * 1e3 for x in bw], color=color, label=f"TP=4, batch {b}")
        ax1.plot(bw / 1e9, [decode_pp(b, beta=x)[0] * 1e3 for x in bw], color=color, linestyle="--", label=f"PP=4, batch {b}")
    ax2.plot(bw / 1e9, [prefill_tp(beta=x)[0] for x in bw], color=PALETTE[0], label="TP=4, no overlap")
    ax2.plot(bw / 1e9, [prefill_tp(beta=x, overlap=True)[0] for x in bw], color=PALETTE[2], label="TP=4, full overlap")
    ax2.plot(bw / 1e9, [prefill_pp(beta=x) for x in bw], color=PALETTE[1], linestyle="--", label="PP=4, one pass")
    ax2.plot(bw / 1e9, [prefill_pp_best(beta=x)[0] for x in bw], color=PALETTE[3], linestyle="-.", label="PP=4, chunked")
    marks = (
        ("1 GbE", 0.125, "center"),
        ("10 GbE", 1.25, "center"),
        ("PCIe 4.0\nx16", 32, "right"),
        ("A6000\nNVLink", 56.25, "left"),
        ("H100\nNVLink", 450, "center"),
    )
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_yscale("log")
        for label, x, align in marks:
            ax.axvline(x, color="#777777", linewidth=0.8, linestyle=":")
            ax.text(x, 1.02, label, transform=ax.get_xaxis_transform(), fontsize=7, ha=align, va="bottom")
        ax.set_xlabel("GPU-to-GPU bandwidth per direction (GB/s)")
    ax1.set_ylabel("time per output token (ms)")
    ax1.set_title("(a) decode, 2048-token context", pad=30)
    ax2.set_ylabel("time to first token (s)")
    ax2.set_title("(b) prefill of a 2048-token prompt", pad=30)
    ax1.legend(fontsize=8)
    ax2.legend(fontsize=8)
    save(fig, "distributed-inference-small-gpus-bandwidth")


if __name__ == "__main__":
    main()
