"""Per-token latency of Llama 3 70B split over four GPUs, tensor versus pipeline parallelism,
as a function of the GPU-to-GPU link bandwidth.

Writes figures/distributed-inference-small-gpus-bandwidth.svg and prints every number quoted in
articles/distributed-inference-small-gpus.md (including the table of latency floors).

Model (all inputs stated; no measurement):
- Llama 3 70B shapes (config.json): 80 layers, d_model 8192, 64 query heads and 8 KV heads of
  dimension 128, FFN 28672, vocabulary 128256, untied embeddings.
- GPU: NVIDIA L40S (datasheet): 48 GB GDDR6 at 864 GB/s, 362 TFLOP/s dense BF16 Tensor Core
  (733 with sparsity), PCIe Gen4 x16 "64 GB/s bidirectional", i.e. 32 GB/s per direction.
  RTX A6000 (datasheet): 48 GB at 768 GB/s, NVLink bridge 112.5 GB/s bidirectional.
- Every kernel runs at the datasheet peak: time = max(FLOPs / peak, bytes / bandwidth), summed
  over the linear layers and attention. This is a floor on latency, not a prediction.
- Tensor parallelism (Megatron-LM): two all-reduces of the activations (B x d_model values) per
  layer. Ring all-reduce on N GPUs: 2 (N - 1) steps, each costing alpha + (S / N) / beta.
- Pipeline parallelism: one point-to-point send of the activations per stage boundary, plus one
  hop to return the sampled token to the first stage; for a single sequence the stages run one
  after another, so their times add.
- alpha (per-message latency) is an assumption, 10 us by default; measure yours with nccl-tests.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

# Llama 3 70B
LAYERS, D_MODEL, N_HEADS, N_KV, D_HEAD, D_FFN, VOCAB = 80, 8192, 64, 8, 128, 28672, 128256

attn_params = 2 * D_MODEL * N_HEADS * D_HEAD + 2 * D_MODEL * N_KV * D_HEAD
mlp_params = 3 * D_MODEL * D_FFN
TOTAL_PARAMS = LAYERS * (attn_params + mlp_params) + 2 * VOCAB * D_MODEL
LINEAR_PARAMS = LAYERS * (attn_params + mlp_params) + VOCAB * D_MODEL  # layers + output head
KV_PER_TOKEN_ELEMS = 2 * LAYERS * N_KV * D_HEAD

# Hardware (datasheets)
L40S_BW, L40S_FLOPS, L40S_MEM = 864e9, 362e12, 48e9
A6000_BW, A6000_MEM = 768e9, 48e9
PCIE4_BETA = 64e9 / 2  # per direction
A6000_NVLINK_BETA = 112.5e9 / 2  # per direction
ALPHA = 10e-6  # assumed per-message latency (s)

N_GPUS = 4
CONTEXT = 2048
PROMPT = 2048


def roof(flops: float, nbytes: float, peak: float, bw: float) -> float:
    return max(flops / peak, nbytes / bw)


def compute_time(batch: int, context: int, wbytes: float, n: int, peak: float, bw: float, kv_bytes: float = 2.0) -> float:
    """Seconds of GPU work for one decode step on one of n GPUs that share the model evenly."""
    lin = roof(2 * LINEAR_PARAMS * batch / n, LINEAR_PARAMS * wbytes / n, peak, bw)
    attn_flops = 4 * LAYERS * N_HEADS * D_HEAD * context * batch / n
    attn_bytes = KV_PER_TOKEN_ELEMS * kv_bytes * context * batch / n
    return lin + roof(attn_flops, attn_bytes, peak, bw)


def allreduce(nbytes: float, n: int, alpha: float, beta: float) -> float:
    """Ring all-reduce of nbytes over n ranks (Thakur et al. 2005; Patarasuk and Yuan 2009)."""
    if n == 1:
        return 0.0
    return 2 * (n - 1) * (alpha + nbytes / n / beta)


def decode_tp(batch, n=N_GPUS, alpha=ALPHA, beta=PCIE4_BETA, wbytes=2.0, peak=L40S_FLOPS, bw=L40S_BW, context=CONTEXT):
    msg = batch * D_MODEL * 2  # BF16 activations
    comm = 2 * LAYERS * allreduce(msg, n, alpha, beta)
    return compute_time(batch, context, wbytes, n, peak, bw) + comm, comm


def decode_pp(batch, n=N_GPUS, alpha=ALPHA, beta=PCIE4_BETA, wbytes=2.0, peak=L40S_FLOPS, bw=L40S_BW, context=CONTEXT):
    msg = batch * D_MODEL * 2
    comm = (n - 1) * (alpha + msg / beta) + alpha  # activations forward, sampled token back
    # Stages run in sequence for one token: total work equals the whole model on one GPU.
    return compute_time(batch, context, wbytes, 1, peak, bw) + comm, comm


def prefill_flops(prompt: int) -> float:
    return 2 * LINEAR_PARAMS * prompt + 2 * LAYERS * N_HEADS * D_HEAD * prompt * prompt  # causal attention


def prefill_tp(prompt=PROMPT, n=N_GPUS, alpha=ALPHA, beta=PCIE4_BETA):
    comm = 2 * LAYERS * allreduce(prompt * D_MODEL * 2, n, alpha, beta)
    return prefill_flops(prompt) / n / L40S_FLOPS + comm, comm


def prefill_pp(prompt=PROMPT, n=N_GPUS, alpha=ALPHA, beta=PCIE4_BETA):
    comm = (n - 1) * (alpha + prompt * D_MODEL * 2 / beta)
    return prefill_flops(prompt) / L40S_FLOPS + comm, comm


W4_BYTES = 0.5 + 4 / 128  # 4-bit weights, one FP16 scale and one FP16 zero point per 128 weights


def table_rows():
    """Latency floors for one sequence (batch 1, 2048-token context)."""
    rows = []
    t, c = decode_tp(1)
    rows.append(("4x L40S, BF16, TP=4, PCIe", t, c))
    t, c = decode_pp(1)
    rows.append(("4x L40S, BF16, PP=4, PCIe", t, c))
    t, c = decode_tp(1, wbytes=W4_BYTES)
    rows.append(("4x L40S, 4-bit, TP=4, PCIe", t, c))
    t, c = decode_tp(1, n=2, wbytes=W4_BYTES)
    rows.append(("2x L40S, 4-bit, TP=2, PCIe", t, c))
    # A6000 rows: memory-bound floor only (compute ignored; at batch 1 it is under 1 ms per token).
    t, c = decode_tp(1, n=1, wbytes=W4_BYTES, bw=A6000_BW, peak=np.inf)
    rows.append(("1x RTX A6000, 4-bit", t, c))
    t, c = decode_tp(1, n=2, wbytes=1.0 + 4 / 128, bw=A6000_BW, beta=A6000_NVLINK_BETA, peak=np.inf)
    rows.append(("2x RTX A6000, 8-bit, TP=2, NVLink bridge", t, c))
    # Offloading: weights live in host memory and cross PCIe once per decode step.
    offload = LINEAR_PARAMS * 2 / PCIE4_BETA
    rows.append(("1x L40S, BF16 weights streamed from host over PCIe", offload, offload))
    t, c = decode_pp(1, alpha=5e-3)
    rows.append(("4 hosts, BF16, PP=4, 5 ms per hop", t, c))
    return rows


def main() -> None:
    print(f"total parameters          : {TOTAL_PARAMS / 1e9:.2f} B ({TOTAL_PARAMS * 2 / 1e9:.1f} GB in BF16)")
    print(f"parameters read per step  : {LINEAR_PARAMS / 1e9:.2f} B ({LINEAR_PARAMS * 2 / 1e9:.1f} GB in BF16)")
    print(f"4-bit weights (group 128) : {TOTAL_PARAMS * W4_BYTES / 1e9:.1f} GB")
    kvb = KV_PER_TOKEN_ELEMS * 2
    print(f"KV cache per token (BF16) : {kvb} bytes ({kvb / 1024:.0f} KiB)")
    per_gpu = TOTAL_PARAMS * 2 / N_GPUS
    free = L40S_MEM - per_gpu
    print(f"BF16 weights per GPU (N=4): {per_gpu / 1e9:.1f} GB, {free / 1e9:.1f} GB left, "
          f"room for {free / (kvb / N_GPUS) / 1e3:.0f}k tokens of KV cache")
    msg = D_MODEL * 2
    print(f"TP activation message B=1 : {msg} bytes; all-reduces per token: {2 * LAYERS}")
    per_rank = 2 * (N_GPUS - 1) / N_GPUS * msg
    print(f"bytes sent per GPU per all-reduce: {per_rank:.0f}; per token: {2 * LAYERS * per_rank / 1e6:.2f} MB")
    print(f"TP bandwidth term per token: {2 * LAYERS * per_rank / PCIE4_BETA * 1e3:.3f} ms; "
          f"latency term: {2 * LAYERS * 2 * (N_GPUS - 1) * ALPHA * 1e3:.2f} ms")
    for b in (1, 32):
        t_tp, c_tp = decode_tp(b)
        t_pp, c_pp = decode_pp(b)
        print(f"decode B={b:2d} ctx={CONTEXT}: TP4 {t_tp * 1e3:6.1f} ms (comm {c_tp * 1e3:5.2f}), "
              f"PP4 {t_pp * 1e3:6.1f} ms (comm {c_pp * 1e3:5.3f}); TP4 {b / t_tp:6.1f} tok/s, PP4 {b / t_pp:6.1f} tok/s")
    t_tp, c_tp = prefill_tp()
    t_pp, c_pp = prefill_pp()
    print(f"prefill {PROMPT} tokens: FLOPs {prefill_flops(PROMPT) / 1e12:.0f} T; TP4 {t_tp * 1e3:.0f} ms (comm {c_tp * 1e3:.0f}); "
          f"PP4 {t_pp * 1e3:.0f} ms (comm {c_pp * 1e3:.1f})")
    # Bandwidth at which TP prefill stops beating PP prefill.
    betas = np.logspace(8, 12, 4000)
    diff = np.array([prefill_tp(beta=b)[0] - prefill_pp(beta=b)[0] for b in betas])
    cross = betas[np.argmax(diff < 0)]
    print(f"prefill crossover bandwidth (TP faster above): {cross / 1e9:.1f} GB/s per direction")
    pre_bytes = 2 * LAYERS * 2 * (N_GPUS - 1) / N_GPUS * PROMPT * D_MODEL * 2
    print(f"prefill TP bytes sent per GPU: {pre_bytes / 1e9:.2f} GB; PP bytes per boundary: {PROMPT * D_MODEL * 2 / 1e6:.1f} MB")
    diff32 = np.array([decode_tp(32, beta=b)[0] - decode_pp(32, beta=b)[0] for b in betas])
    print(f"decode B=32 crossover bandwidth: {betas[np.argmax(diff32 < 0)] / 1e9:.2f} GB/s per direction")
    print(f"4-bit TP4 decode: comm share {decode_tp(1, wbytes=W4_BYTES)[1] / decode_tp(1, wbytes=W4_BYTES)[0]:.0%}; "
          f"BF16 TP4: {decode_tp(1)[1] / decode_tp(1)[0]:.0%}")
    for name, beta in (("10 GbE", 1.25e9), ("1 GbE", 0.125e9)):
        print(f"{name}: decode TP4 {decode_tp(1, beta=beta)[0] * 1e3:.1f} ms, prefill TP4 {prefill_tp(beta=beta)[0]:.2f} s, "
              f"prefill PP4 {prefill_pp(beta=beta)[0]:.2f} s")
    print("table: latency floors, batch 1, context 2048")
    for name, t, c in table_rows():
        print(f"  {name:52s} {t * 1e3:8.1f} ms/token ({1 / t:6.1f} tok/s), communication/transfer {c * 1e3:7.1f} ms")

    bw = np.logspace(np.log10(0.1e9), np.log10(1000e9), 300)
    fig, (ax1, ax2) = new_figure(width=9.0, height=3.9, ncols=2)
    for color, b in zip(PALETTE, (1, 32), strict=False):
        ax1.plot(bw / 1e9, [decode_tp(b, beta=x)[0] * 1e3 for x in bw], color=color, label=f"TP=4, batch {b}")
        ax1.plot(bw / 1e9, [decode_pp(b, beta=x)[0] * 1e3 for x in bw], color=color, linestyle="--", label=f"PP=4, batch {b}")
    ax2.plot(bw / 1e9, [prefill_tp(beta=x)[0] for x in bw], color=PALETTE[0], label="TP=4")
    ax2.plot(bw / 1e9, [prefill_pp(beta=x)[0] for x in bw], color=PALETTE[0], linestyle="--", label="PP=4")
    marks = (("1 GbE", 0.125, "center"), ("10 GbE", 1.25, "center"), ("PCIe 4.0\nx16", 32, "right"),
             ("A6000\nNVLink", 56.25, "left"), ("H100\nNVLink", 450, "center"))
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
