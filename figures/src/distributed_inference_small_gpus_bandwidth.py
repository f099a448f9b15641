"""Per-token latency of Llama 3 70B split over four GPUs, tensor versus pipeline parallelism,
as a function of the GPU-to-GPU link bandwidth.

Writes figures/distributed-inference-small-gpus-bandwidth.svg and prints every number quoted in
articles/distributed-inference-small-gpus.md (including the table of latency floors).

Model (all inputs stated):
- Llama 3 70B shapes (config.json): 80 layers, d_model 8192, 64 query heads and 8 KV heads of
  dimension 128, FFN 28672, vocabulary 128256, untied embeddings.
- GPU: NVIDIA L40S (datasheet): 48 GB GDDR6 at 864 GB/s, 362 TFLOP/s dense BF16 and 733 TFLOP/s
  dense FP8 Tensor Core. RTX A6000 (datasheet): 48 GB at 768 GB/s, NVLink bridge 112.5 GB/s
  bidirectional.
- Every kernel runs at the datasheet peak: time = max(FLOPs / peak, bytes / bandwidth), summed
  over the linear layers and attention. This is a floor on latency, not a prediction. Measured H100
  numbers (figures/measured/, read through _measured) give sensitivity ranges only.
- MODELLING CHOICE, link rate: PCIe Gen4 x16 carries 24 GB/s per direction, NCCL's own rating of
  the link (src/graph/topo.cc: lanes x 120 / 80), which a measured all-reduce on six RTX 4090s
  matched (bus bandwidth 24.5 GB/s, tinygrad README); the datasheet's 32 GB/s is the sensitivity.
- Tensor parallelism (Megatron-LM): two all-reduces of the activations (B x d_model values) per
  layer (the embedding all-reduce and the logits gather are left out). MODELLING CHOICE: an
  all-reduce costs what NCCL's tuner charges a ring (src/graph/tuning.cc, NCCL 2.30.7), the cheaper
  of two protocols:
      T_AR = min over p of  a0_p + 2 (N - 1) a_p + 2 (N - 1) (S / N) / (f_p beta)
  LL: a0 6.6 us, 1.0 us per step over PCIe (0.6 over NVLink), half the bandwidth (f = 0.5);
  Simple: a0 8.4 us, 5.7 us per step over PCIe (3.4 over NVLink), full bandwidth. LL128 is off by
  default over PCIe and left out. Sensitivity: a0 = 0, 10 us per ring step at full bandwidth (this
  page's model before 2026-11-28).
- Pipeline parallelism: one point-to-point send of the activations per stage boundary, plus one
  hop to return the sampled token to the first stage; for a single sequence the stages run one
  after another, so their times add. Each hop costs ALPHA_HOP (10 us, close to the 11.7 us that one
  separately issued 16 KiB PCIe copy took on the project's H100 host). Petals routes every hop
  through the client: 2N one-way trips per token.
- Prefill. MODELLING CHOICE for the pipeline: the prompt is cut into M equal chunks that follow each
  other through the stages (chunked pipelined prefill); every chunk re-reads its stage's weights,
  so small chunks become memory-bound. M = 1 is the sequential pass; the best M is reported. For
  tensor parallelism: no overlap of all-reduces with compute (sum; vLLM's RowParallelLinear issues
  the all-reduce after its GEMM), or perfect overlap (max).
- Memory budgets set aside RESERVE per GPU (the 8% that vLLM leaves unused by default: its
  gpu_memory_utilization is 0.92 in the late-2026 CacheConfig source, 0.9 before) for the CUDA
  context, activations, CUDA graphs and communication buffers. The 0.9 case is printed as a check.
"""

from __future__ import annotations

import numpy as np

from _measured import measured_table, number
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
L40S_BW, L40S_FLOPS, L40S_FP8_FLOPS, L40S_MEM = 864e9, 362e12, 733e12, 48e9
A6000_BW, A6000_MEM = 768e9, 48e9
H100_BF16_FLOPS = 989e12
PCIE4_DATASHEET = 64e9 / 2  # per direction
PCIE5_DATASHEET = 128e9 / 2
A6000_NVLINK_BETA = 112.5e9 / 2  # per direction


def nccl_pcie_rate(lanes: int, per_lane: int) -> float:
    """NCCL's rating of a PCIe link in bytes/s: width * speed / 80 GB/s (src/graph/topo.cc), speed
    in NCCL's units per lane (120 for 16 GT/s, 240 for 32 GT/s)."""
    return lanes * per_lane / 80.0 * 1e9


PCIE4_BETA = nccl_pcie_rate(16, 120)  # 24 GB/s: the rate this page models
PCIE5_BETA = nccl_pcie_rate(16, 240)  # 48 GB/s
MEASURED_4090_BUSBW, MEASURED_4090_US, MEASURED_4090_BYTES = 24.5e9, 2275.1e-6, 33554432  # tinygrad README, 6 GPUs

# All-reduce protocols (NCCL 2.30.7 tuning constants, ring algorithm): (base, per step, bandwidth factor)
A0_NCCL = 6.6e-6  # LL base latency per collective
PCIE_PROTOS = ((A0_NCCL, 1.0e-6, 0.5), (8.4e-6, 5.7e-6, 1.0))  # LL, Simple
NVLINK_PROTOS = ((A0_NCCL, 0.6e-6, 0.5), (8.4e-6, 3.4e-6, 1.0))
A_STEP_OLD = 10e-6
OLD_PROTOS = ((0.0, A_STEP_OLD, 1.0),)  # sensitivity: every ring step a separate 10 us message
ALPHA_HOP = 10e-6  # one pipeline hop (point-to-point send)


def net_protos(a_net: float):
    """Both protocols over a network that adds a_net to every ring step."""
    return ((A0_NCCL, a_net, 0.5), (8.4e-6, a_net, 1.0))


# Measured on one H100 SXM (figures/measured/, 2026-11-28)
_steps = [1 / number(r["roofline / measured"]) for r in measured_table("decode_step")]
MEASURED_STEP_OVER_FLOOR = (round(min(_steps), 2), round(max(_steps), 2))  # decode step / roofline floor
_big = [number(r["BF16 TFLOP/s"]) * 1e12 for r in measured_table("fp8_gemm") if int(r["tokens"]) >= 1024]
GEMM_EFFICIENCY = float(np.mean(_big)) / H100_BF16_FLOPS  # compute-bound BF16 GEMMs against the datasheet peak
FP8_MEASURED = [number(r["FP8 speed-up"]) for r in measured_table("fp8_gemm") if int(r["tokens"]) <= 256]
_int4 = {int(r["tokens"]): r for r in measured_table("int4_weight_only")}
INT4_AT_1 = number(_int4[1]["INT4 vs BF16"])  # PyTorch's weight-only INT4 kernel at one token
_copies = {r["host memory"]: number(r["host to device GB/s"]) * 1e9 for r in measured_table("pcie_copies", 1)}
MEASURED_PINNED_H2D, MEASURED_PAGEABLE_H2D = _copies["pinned"], _copies["pageable"]
MEASURED_16K_COPY = {r["block"]: number(r["effective GB/s"]) * 1e9 for r in measured_table("pcie_copies", 2)}["16 KiB"]
DRAFT_8 = {int(r["k"]): number(r["vs k = 1"]) for r in measured_table("draft_verification")}[8]

N_GPUS = 4
CONTEXT = 2048
PROMPT = 2048
GPU_MEMORY_UTILIZATION = 0.92  # vLLM's default (CacheConfig, late-2026 source)
RESERVE = (1 - GPU_MEMORY_UTILIZATION) * L40S_MEM  # per GPU: the 8% vLLM leaves unused
RESERVE_OLD = (1 - 0.9) * L40S_MEM  # the earlier default of 0.9, for comparison


def wbytes_grouped(bits: int) -> float:
    """Bytes per weight of a group-wise format as AutoAWQ/AutoGPTQ store it: `bits`-bit weights,
    one FP16 scale and one `bits`-bit zero point per group of 128."""
    return (bits + (16 + bits) / 128) / 8


W4 = wbytes_grouped(4)  # 4.156 bits per weight
W8 = wbytes_grouped(8)
WFP8 = 1.0  # FP8 weights; per-channel or per-tensor scales are negligible


def weight_bytes(w: float) -> tuple[float, float]:
    """(bytes stored, bytes read per decode step); embeddings and output head stay 16-bit."""
    if w == 2.0:
        return TOTAL_PARAMS * 2.0, LINEAR_PARAMS * 2.0
    return LAYER_PARAMS * w + 2 * EMBED_PARAMS * 2.0, LAYER_PARAMS * w + EMBED_PARAMS * 2.0


def kv_bytes(tokens: int) -> float:
    return KV_PER_TOKEN_ELEMS * 2 * tokens


def roof(flops: float, nbytes: float, peak: float, bw: float) -> float:
    return max(flops / peak, nbytes / bw)


def compute_time(batch, context, w, n, peak, bw, kv_b=2.0) -> float:
    """Seconds of GPU work for one decode step on one of n GPUs that share the model evenly."""
    lin = roof(2 * LINEAR_PARAMS * batch / n, weight_bytes(w)[1] / n, peak, bw)
    attn_flops = 4 * LAYERS * N_HEADS * D_HEAD * context * batch / n
    attn_bytes = KV_PER_TOKEN_ELEMS * kv_b * context * batch / n
    return lin + roof(attn_flops, attn_bytes, peak, bw)


def allreduce(nbytes, n, beta, protos=PCIE_PROTOS) -> float:
    """Ring all-reduce as NCCL's tuner charges it: the cheapest protocol's base latency, per-step
    latency and bandwidth term."""
    if n == 1:
        return 0.0
    steps = 2 * (n - 1)
    return min(a0 + steps * a + steps * nbytes / n / (f * beta) for a0, a, f in protos)


def ar_latency(n, protos=PCIE_PROTOS) -> float:
    return allreduce(0, n, 1.0, protos)


def decode_tp(batch, n=N_GPUS, beta=PCIE4_BETA, w=2.0, peak=L40S_FLOPS, bw=L40S_BW, context=CONTEXT, protos=PCIE_PROTOS, ar=None):
    """(seconds per step, of which communication). `ar` overrides the per-all-reduce latency
    (the bandwidth term is then LL's, at half the link rate)."""
    msg = batch * D_MODEL * 2  # BF16 activations
    one = allreduce(msg, n, beta, protos) if ar is None else ar + allreduce(msg, n, beta, ((0.0, 0.0, 0.5),))
    comm = 2 * LAYERS * one
    return compute_time(batch, context, w, n, peak, bw) + comm, comm


def decode_pp(batch, n=N_GPUS, beta=PCIE4_BETA, w=2.0, peak=L40S_FLOPS, bw=L40S_BW, context=CONTEXT, hop=ALPHA_HOP, client=False):
    """(seconds per token, of which communication). client=True: every stage's output returns to a
    client that sends it to the next stage (Petals), 2n one-way trips."""
    msg = batch * D_MODEL * 2
    # Server to server: activations forward, sampled token back. Through the client: 2n trips with activations.
    comm = 2 * n * (hop + msg / beta) if client else (n - 1) * (hop + msg / beta) + hop
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


def offload_streamed(reserve: float = RESERVE) -> float:
    """BF16 bytes that cross PCIe per step on one L40S: what does not fit next to the reserve and KV cache."""
    return LINEAR_PARAMS * 2 - (L40S_MEM - reserve - kv_bytes(CONTEXT))


H2D_PINNED = PCIE4_DATASHEET * MEASURED_PINNED_H2D / PCIE5_DATASHEET  # measured pinned fraction of Gen5, applied to Gen4


def table_rows():
    """Latency floors for one sequence (batch 1, 2048-token context): (name, NCCL model, per-step model, comm)."""
    rows = []

    def tp(**kw):
        t, c = decode_tp(1, **kw)
        t_old, _ = decode_tp(1, protos=OLD_PROTOS, **kw)
        return t, t_old, c

    rows.append(("4x L40S, BF16, TP=4", *tp()))
    t, c = decode_pp(1)
    rows.append(("4x L40S, BF16, PP=4", t, t, c))
    rows.append(("2x L40S, FP8, TP=2", *tp(n=2, w=WFP8, peak=L40S_FP8_FLOPS)))
    rows.append(("4x L40S, FP8, TP=4", *tp(w=WFP8, peak=L40S_FP8_FLOPS)))
    rows.append(("4x L40S, 4-bit, TP=4", *tp(w=W4)))
    # A6000 rows: memory-bound floor only (compute ignored; at batch 1 it is under 1 ms per token).
    t, c = decode_tp(1, n=1, w=W4, bw=A6000_BW, peak=np.inf)
    rows.append(("1x RTX A6000, 4-bit", t, t, c))
    t, c = decode_tp(1, n=2, w=W8, bw=A6000_BW, beta=A6000_NVLINK_BETA, peak=np.inf, protos=NVLINK_PROTOS)
    t_old, _ = decode_tp(1, n=2, w=W8, bw=A6000_BW, beta=A6000_NVLINK_BETA, peak=np.inf, protos=OLD_PROTOS)
    rows.append(("2x RTX A6000, 8-bit, TP=2, NVLink bridge", t, t_old, c))
    # Offloading: what does not fit in GPU memory lives in host memory and crosses PCIe every step.
    offload = offload_streamed() / H2D_PINNED
    rows.append(("1x L40S, BF16, offloaded", offload, offload, offload))
    t, c = decode_pp(1, hop=5e-3, client=True)
    rows.append(("Petals-style, 4 hosts, 5 ms per hop", t, t, c))
    return rows


def main() -> None:
    print(f"total parameters          : {TOTAL_PARAMS / 1e9:.2f} B ({TOTAL_PARAMS * 2 / 1e9:.1f} GB in BF16)")
    print(f"parameters read per step  : {LINEAR_PARAMS / 1e9:.2f} B ({LINEAR_PARAMS * 2 / 1e9:.1f} GB in BF16)")
    print(f"reserve per GPU           : {RESERVE / 1e9:.2f} GB (at 0.9: {RESERVE_OLD / 1e9:.2f} GB)")
    for name, w in (("4-bit", W4), ("8-bit", W8), ("FP8", WFP8)):
        stored, read = weight_bytes(w)
        print(
            f"{name}: {w * 8:.3f} bits/weight; checkpoint {stored / 1e9:.1f} GB; read per step {read / 1e9:.1f} GB; "
            f"one 48 GB GPU leaves {(L40S_MEM - RESERVE - stored) / 1e9:.1f} GB after the reserve "
            f"({(L40S_MEM - RESERVE_OLD - stored) / 1e9:.1f} at 0.9)"
        )
    kvb = KV_PER_TOKEN_ELEMS * 2
    print(f"KV cache per token (BF16) : {kvb} bytes ({kvb / 1024:.0f} KiB); 2048 tokens {kvb * 2048 / 1e6:.0f} MB")
    for n, w, name in ((4, 2.0, "BF16 TP=4"), (2, WFP8, "FP8 TP=2"), (1, W4, "4-bit, one GPU")):
        free = L40S_MEM - RESERVE - weight_bytes(w)[0] / n
        free_old = free + RESERVE - RESERVE_OLD
        print(
            f"  {name}: weights per GPU {weight_bytes(w)[0] / n / 1e9:.1f} GB, {free / 1e9:.1f} GB for KV cache, "
            f"{free / (kvb / n) / 1e3:.1f}k tokens (at 0.9: {free_old / 1e9:.1f} GB, {free_old / (kvb / n) / 1e3:.1f}k)"
        )
    msg = D_MODEL * 2
    per_rank = 2 * (N_GPUS - 1) / N_GPUS * msg
    print(
        f"TP message B=1: {msg} bytes; all-reduces per token: {2 * LAYERS}; bytes sent per GPU per token "
        f"{2 * LAYERS * per_rank / 1e6:.2f} MB -> {2 * LAYERS * per_rank / (0.5 * PCIE4_BETA) * 1e3:.3f} ms at LL's half of 24 GB/s"
    )
    print(f"NCCL link rating: Gen4 x16 {PCIE4_BETA / 1e9:.0f} GB/s, Gen5 x16 {PCIE5_BETA / 1e9:.0f} GB/s per direction")
    t6 = allreduce(MEASURED_4090_BYTES, 6, MEASURED_4090_BUSBW)
    t6_24 = allreduce(MEASURED_4090_BYTES, 6, PCIE4_BETA)
    print(
        f"6x RTX 4090, 32 MiB all-reduce: measured {MEASURED_4090_US * 1e6:.0f} us; model at 24 GB/s {t6_24 * 1e6:.0f} us "
        f"({t6_24 / MEASURED_4090_US:.2f}x), at 32 GB/s {allreduce(MEASURED_4090_BYTES, 6, PCIE4_DATASHEET) * 1e6:.0f} us; "
        f"at the measured bus bandwidth {t6 * 1e6:.0f} us"
    )
    for name, p in (("NCCL model", PCIE_PROTOS), ("10 us per step", OLD_PROTOS)):
        print(
            f"all-reduce latency ({name}): N=4 {ar_latency(4, p) * 1e6:.1f} us, N=2 {ar_latency(2, p) * 1e6:.1f} us; "
            f"latency term per token N=4 {2 * LAYERS * ar_latency(4, p) * 1e3:.2f} ms"
        )
    print(f"N=2 NVLink all-reduce latency (NCCL model): {ar_latency(2, NVLINK_PROTOS) * 1e6:.1f} us")
    for s in (16384, 512 * 1024, PROMPT * D_MODEL * 2):
        ll = A0_NCCL + 6 * 1.0e-6 + 6 * s / 4 / (0.5 * PCIE4_BETA)
        simple = 8.4e-6 + 6 * 5.7e-6 + 6 * s / 4 / PCIE4_BETA
        print(f"  N=4 all-reduce of {s / 1024:.0f} KiB at 24 GB/s: LL {ll * 1e6:.1f} us, Simple {simple * 1e6:.1f} us")
    print(f"measured: one 16 KiB copy = {16384 / MEASURED_16K_COPY * 1e6:.1f} us")
    mem1 = compute_time(1, CONTEXT, 2.0, 1, L40S_FLOPS, L40S_BW)
    mem4 = compute_time(1, CONTEXT, 2.0, 4, L40S_FLOPS, L40S_BW)
    print(f"memory term: one GPU {mem1 * 1e3:.1f} ms, per GPU at N=4 {mem4 * 1e3:.1f} ms")
    for b in (1, 32):
        for name, kw in (("NCCL", {}), ("NCCL 32GB/s", {"beta": PCIE4_DATASHEET}), ("10us/step", {"protos": OLD_PROTOS})):
            t_tp, c_tp = decode_tp(b, **kw)
            t_pp, _ = decode_pp(b, **{k: v for k, v in kw.items() if k == "beta"})
            print(
                f"decode B={b:2d} [{name:11s}]: TP4 {t_tp * 1e3:6.1f} ms (comm {c_tp * 1e3:5.2f}, {c_tp / t_tp:.0%}), "
                f"PP4 {t_pp * 1e3:6.1f} ms; TP4 {b / t_tp:6.1f} tok/s, PP4 {b / t_pp:5.1f} tok/s"
            )
    lo, hi = MEASURED_STEP_OVER_FLOOR
    print(f"measured decode step / floor on the H100: {lo}-{hi}")
    t, c = decode_tp(1)
    print(
        f"TP4 BF16 with measured step/floor {lo}-{hi} on the memory term: {(t - c) * lo * 1e3 + c * 1e3:.1f}-"
        f"{(t - c) * hi * 1e3 + c * 1e3:.1f} ms, {1 / ((t - c) * hi + c):.1f}-{1 / ((t - c) * lo + c):.1f} tok/s"
    )
    for name, kw in (("2x L40S FP8", {"n": 2, "w": WFP8, "peak": L40S_FP8_FLOPS}), ("4x L40S FP8", {"w": WFP8, "peak": L40S_FP8_FLOPS})):
        t, c = decode_tp(1, **kw)
        print(f"{name}: floor {t * 1e3:.1f} ms; x{lo}-{hi}: {(t - c) * lo * 1e3 + c * 1e3:.1f}-{(t - c) * hi * 1e3 + c * 1e3:.1f} ms")
    print(f"measured FP8/BF16 GEMM speed-up at 1-256 tokens: {min(FP8_MEASURED):.2f}-{max(FP8_MEASURED):.2f} (ideal 2)")
    # 4-bit with the measured INT4 kernel: block linears run at INT4_AT_1 x BF16 instead of 16/4.156 x.
    ideal = 2.0 / W4
    t4 = decode_tp(1, n=1, w=W4, bw=A6000_BW, peak=np.inf)[0]
    blocks = LAYER_PARAMS * W4 / A6000_BW
    t4_meas = t4 + blocks * (ideal / INT4_AT_1 - 1)
    print(
        f"1x A6000 4-bit: floor {t4 * 1e3:.1f} ms; ideal block speed-up {ideal:.2f}x, measured INT4 kernel {INT4_AT_1:.2f}x "
        f"({INT4_AT_1 / ideal:.0%} of ideal) -> {t4_meas * 1e3:.1f} ms"
    )
    for name, kw in (("2x A6000 8-bit", {"n": 2, "w": W8, "bw": A6000_BW, "beta": A6000_NVLINK_BETA, "peak": np.inf, "protos": NVLINK_PROTOS}),):
        t, c = decode_tp(1, **kw)
        print(f"{name}: floor {t * 1e3:.1f} ms; x{lo}-{hi}: {1 / ((t - c) * hi + c):.1f}-{1 / ((t - c) * lo + c):.1f} tok/s")
    print(f"1x A6000 4-bit x{lo}-{hi}: {1 / (t4 * hi):.1f}-{1 / (t4 * lo):.1f} tok/s")
    # 4-bit: TP4 vs TP2 vs one GPU
    t4n, c4n = decode_tp(1, w=W4)
    t2n = decode_tp(1, n=2, w=W4)[0]
    t4o, c4o = decode_tp(1, w=W4, protos=OLD_PROTOS)
    t2o = decode_tp(1, n=2, w=W4, protos=OLD_PROTOS)[0]
    print(
        f"4-bit NCCL model: TP4 {t4n * 1e3:.1f} (comm {c4n / t4n:.0%}), TP2 {t2n * 1e3:.1f}; "
        f"10us/step: TP4 {t4o * 1e3:.1f} (comm {c4o / t4o:.0%}), TP2 {t2o * 1e3:.1f}"
    )
    flip = root(lambda x: decode_tp(1, w=W4, protos=((0.0, x, 1.0),))[0] - decode_tp(1, n=2, w=W4, protos=((0.0, x, 1.0),))[0], 1e-7, 1e-4)
    print(f"4-bit: TP2 faster than TP4 only if every ring step costs more than {flip * 1e6:.1f} us (no base latency)")
    # Prefill
    pre_bytes = 2 * LAYERS * 2 * (N_GPUS - 1) / N_GPUS * PROMPT * D_MODEL * 2
    print(
        f"prefill {PROMPT} tokens: FLOPs {prefill_flops(PROMPT) / 1e12:.0f} T; all-reduce {PROMPT * D_MODEL * 2 / 1e6:.1f} MB; "
        f"TP bytes sent per GPU {pre_bytes / 1e9:.2f} GB; compute on 4 GPUs {prefill_flops(PROMPT) / 4 / L40S_FLOPS * 1e3:.0f} ms"
    )
    for beta in (PCIE4_BETA, PCIE4_DATASHEET, PCIE5_BETA, PCIE5_DATASHEET):
        print(
            f"  at {beta / 1e9:.0f} GB/s: TP comm {prefill_tp(beta=beta)[1] * 1e3:.0f} ms; TP4 no overlap {prefill_tp(beta=beta)[0] * 1e3:.0f} ms, "
            f"full overlap {prefill_tp(beta=beta, overlap=True)[0] * 1e3:.0f} ms; PP4 one pass {prefill_pp(beta=beta) * 1e3:.0f} ms, "
            f"chunked {prefill_pp_best(beta=beta)[0] * 1e3:.0f} ms ({prefill_pp_best(beta=beta)[1]} chunks); "
            f"no-overlap TP / chunked PP {prefill_tp(beta=beta)[0] / prefill_pp_best(beta=beta)[0]:.2f}"
        )
    for m in (1, 2, 4, 5, 8, 16):
        print(f"  PP4 chunks {m:2d} ({PROMPT // m} tokens): {prefill_pp(chunks=m) * 1e3:.0f} ms")
    cr_seq = crossover(lambda b: prefill_tp(beta=b)[0], lambda b: prefill_pp(beta=b))
    cr_no = crossover(lambda b: prefill_tp(beta=b)[0], lambda b: prefill_pp_best(beta=b)[0])
    cr_ov = crossover(lambda b: prefill_tp(beta=b, overlap=True)[0], lambda b: prefill_pp_best(beta=b)[0])
    print(
        f"prefill crossover (TP faster above): vs sequential PP {cr_seq / 1e9:.1f} GB/s; vs chunked PP: "
        f"no overlap {cr_no / 1e9:.1f} GB/s, perfect overlap {cr_ov / 1e9:.1f} GB/s"
    )
    pk = L40S_FLOPS * GEMM_EFFICIENCY
    print(
        f"  at {GEMM_EFFICIENCY:.1%} of peak FLOP/s (measured H100 BF16 GEMMs {min(_big) / 1e12:.0f}-{max(_big) / 1e12:.0f} TFLOP/s): "
        f"TP4 no overlap {prefill_tp(peak=pk)[0] * 1e3:.0f}, overlap "
        f"{prefill_tp(peak=pk, overlap=True)[0] * 1e3:.0f}, PP4 chunked {prefill_pp_best(peak=pk)[0] * 1e3:.0f} ms "
        f"({prefill_pp_best(peak=pk)[1]} chunks)"
    )
    cr_ov75 = crossover(lambda b: prefill_tp(beta=b, overlap=True, peak=pk)[0], lambda b: prefill_pp_best(beta=b, peak=pk)[0])
    cr_no75 = crossover(lambda b: prefill_tp(beta=b, peak=pk)[0], lambda b: prefill_pp_best(beta=b, peak=pk)[0])
    print(f"  crossovers at that efficiency: no overlap {cr_no75 / 1e9:.1f} GB/s, full overlap {cr_ov75 / 1e9:.1f} GB/s")
    # Decode at batch 32: bandwidth crossover inside a host, and over 10 GbE with per-step network latency
    cr32 = crossover(lambda b: decode_tp(32, beta=b)[0], lambda b: decode_pp(32, beta=b)[0])
    print(f"decode B=32 crossover bandwidth (NCCL model): {cr32 / 1e9:.2f} GB/s per direction")
    net_flip = root(lambda x: decode_tp(32, beta=1.25e9, protos=net_protos(x))[0] - decode_pp(32, beta=1.25e9, hop=x)[0], 1e-6, 1e-3)
    print(f"10 GbE, batch 32: PP4 faster than TP4 above {net_flip * 1e6:.0f} us per network message")
    for a_net in (10e-6, 50e-6):
        t_tp = decode_tp(32, beta=1.25e9, protos=net_protos(a_net))[0]
        t_pp = decode_pp(32, beta=1.25e9, hop=a_net)[0]
        print(f"10 GbE, {a_net * 1e6:.0f} us per network message: B=32 TP4 {t_tp * 1e3:.0f} ms vs PP4 {t_pp * 1e3:.0f} ms")
    # Offloading sensitivity to the host-to-device rate actually reached (measured on PCIe Gen5)
    streamed = offload_streamed()
    print(
        f"offload: {(L40S_MEM - RESERVE - kv_bytes(CONTEXT)) / 1e9:.1f} GB resident; "
        f"at 0.9: {(L40S_MEM - RESERVE_OLD - kv_bytes(CONTEXT)) / 1e9:.1f} GB resident, "
        f"{offload_streamed(RESERVE_OLD) / 1e9:.1f} GB streamed, {offload_streamed(RESERVE_OLD) / H2D_PINNED:.2f} s pinned"
    )
    print(
        f"offload: {streamed / 1e9:.1f} GB streamed per step; datasheet {streamed / PCIE4_DATASHEET:.2f} s; "
        f"pinned at the measured {MEASURED_PINNED_H2D / PCIE5_DATASHEET:.0%} of the link: {streamed / H2D_PINNED:.2f} s; "
        f"pageable at the measured {MEASURED_PAGEABLE_H2D / 1e9:.1f} GB/s: {streamed / MEASURED_PAGEABLE_H2D:.1f} s, "
        f"at the measured {MEASURED_PAGEABLE_H2D / PCIE5_DATASHEET:.0%} of the link: "
        f"{streamed / (PCIE4_DATASHEET * MEASURED_PAGEABLE_H2D / PCIE5_DATASHEET):.1f} s"
    )
    # Pipeline stage imbalance: the last stage also holds the output head
    stage = LAYER_PARAMS / N_GPUS
    print(f"PP4 stage: {stage / 1e9:.2f} B parameters; last stage +{EMBED_PARAMS / 1e9:.2f} B ({EMBED_PARAMS / stage:.0%})")
    # Petals: client-mediated chain against server-to-server
    print(
        f"4 hosts, 5 ms per hop: server-to-server {decode_pp(1, hop=5e-3)[0] * 1e3:.1f} ms, "
        f"through the client {decode_pp(1, hop=5e-3, client=True)[0] * 1e3:.1f} ms; "
        f"TP4 with 5 ms per ring step {decode_tp(1, protos=net_protos(5e-3))[0]:.2f} s"
    )
    # MoE hybrid placement: gpt-oss-120b (openai/gpt-oss ModelConfig) with routed experts in host memory.
    g_layers, g_experts, g_topk, g_d, g_ffn, g_vocab = 36, 128, 4, 2880, 2880, 201088
    g_heads, g_kv, g_hd = 64, 8, 64
    expert = 3 * g_d * g_ffn + 2 * g_ffn + g_d  # gate/up (2 x ffn x d), down (d x ffn), biases
    active_experts = g_layers * g_topk * expert
    attn = g_layers * (g_d * g_hd * (g_heads + 2 * g_kv) + g_hd * g_heads * g_d)
    gpu_read = (attn + g_layers * g_d * g_experts + g_vocab * g_d) * 2.0  # BF16 attention, routers, output head
    cpu_read = active_experts * 4.25 / 8  # MXFP4 experts
    for name, host_bw in (("two DDR5-5600 channels", 2 * 5600e6 * 8), ("8-channel DDR5-4800 Xeon", 8 * 4800e6 * 8)):
        t = gpu_read / 300e9 + cpu_read / host_bw
        print(
            f"gpt-oss-120b hybrid, L4 + {name} ({host_bw / 1e9:.1f} GB/s): experts {active_experts / 1e9:.2f} B active, "
            f"{cpu_read / 1e9:.2f} GB from host memory, {gpu_read / 1e9:.2f} GB on the GPU -> {t * 1e3:.1f} ms, {1 / t:.0f} tok/s"
        )
    print(f"measured: verifying 8 draft tokens costs {DRAFT_8:.2f}x one decode step")
    print("table: latency floors, batch 1, context 2048 (NCCL model | 10 us per ring step)")
    for name, t, t_old, c in table_rows():
        print(f"  {name:45s} {t * 1e3:8.1f} ms ({1 / t:6.1f} tok/s) comm {c * 1e3:7.2f} ms | {t_old * 1e3:8.1f} ms")

    bw = np.logspace(np.log10(0.1e9), np.log10(1000e9), 300)
    fig, (ax1, ax2) = new_figure(width=9.0, height=3.9, ncols=2)
    for color, b in zip(PALETTE, (1, 32), strict=False):
        ax1.plot(bw / 1e9, [decode_tp(b, beta=x)[0] * 1e3 for x in bw], color=color, label=f"TP=4, batch {b}")
        ax1.plot(bw / 1e9, [decode_pp(b, beta=x)[0] * 1e3 for x in bw], color=color, linestyle="--", label=f"PP=4, batch {b}")
    ax2.plot(bw / 1e9, [prefill_tp(beta=x)[0] for x in bw], color=PALETTE[0], label="TP=4, no overlap")
    ax2.plot(bw / 1e9, [prefill_tp(beta=x, overlap=True)[0] for x in bw], color=PALETTE[2], label="TP=4, full overlap")
    ax2.plot(bw / 1e9, [prefill_pp(beta=x) for x in bw], color=PALETTE[1], linestyle="--", label="PP=4, one pass")
    ax2.plot(bw / 1e9, [prefill_pp_best(beta=x)[0] for x in bw], color=PALETTE[3], linestyle="-.", label="PP=4, chunked")
    marks = (("1 GbE", 0.125), ("10 GbE", 1.25), ("H100\nNVLink", 450))
    # (label, NCCL's rating, datasheet, label anchor, alignment)
    bands = (
        ("PCIe 4.0\nx16", PCIE4_BETA, PCIE4_DATASHEET, PCIE4_BETA, "right"),
        ("PCIe 5.0\nx16", PCIE5_BETA, PCIE5_DATASHEET, PCIE5_DATASHEET, "left"),
    )
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_yscale("log")
        for label, x in marks:
            ax.axvline(x, color="#777777", linewidth=0.8, linestyle=":")
            ax.text(x, 1.02, label, transform=ax.get_xaxis_transform(), fontsize=7, ha="center", va="bottom")
        for label, lo_b, hi_b, at, align in bands:
            ax.axvspan(lo_b / 1e9, hi_b / 1e9, color="#777777", alpha=0.18, linewidth=0)
            ax.text(at / 1e9, 1.02, label, transform=ax.get_xaxis_transform(), fontsize=7, ha=align, va="bottom")
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
