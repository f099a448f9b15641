"""Decode time per token against the fraction of weights offloaded from HBM.

Model: Llama 3.1 70B in BF16 (80 layers, width 8192, FFN 28672, 64 query heads and
8 key/value heads of dimension 128, vocabulary 128256, untied embeddings; released
config.json). Batch size 1, short context (KV-cache traffic ignored).

Hardware inputs (vendor documents cited in the article):
  H100 SXM: 80 GB HBM3 at 3.35 TB/s; PCIe Gen5 x16 128 GB/s total, 64 GB/s per direction
  HBM capacity: the vendor label read as GiB (2^30 bytes), less 1 GiB that the driver keeps:
  PyTorch reports a total capacity of 79.11 GiB on an H100 80GB and 139.80 GiB on an H200,
  and nvidia-smi shows 81,559 MiB and 143,771 MiB. Weights stay in decimal GB.
  Intel Xeon Platinum 8480+: 8 channels of DDR5-4800 -> 8 * 4800e6 * 8 B = 307.2 GB/s
  Samsung PM1743 NVMe SSD: 13 GB/s sequential read (launch announcement)
  NVLink-C2C (GH200, GB200): 900 GB/s total, 450 GB/s per direction
  H200 141 GB at 4.8 TB/s; GH200 96 GB HBM3 at 4.0 TB/s or 144 GB HBM3e at 4.9 TB/s;
  B200 180 GB at 8 TB/s (DGX B200: 1,440 GB and 64 TB/s for 8 GPUs); GB200 about 186 GB
  at 8 TB/s (GB200 NVL72: 13.4 TB and 576 TB/s for 72 GPUs); MI300X 192 GB at 5.3 TB/s.

Measured on one H100 SXM on 2026-11-28 (project measurements, section 5): pinned 1 GiB
host-to-device copy 55.2 GB/s, pageable 18.0 GB/s; 256 MiB as separate pinned copies of
16 KiB / 64 KiB / 256 KiB / 2 MiB ran at 1.4 / 7.4 / 29.5 / 51.4 GB/s. Section 4: a
4096x14336 BF16 GEMM over 1024 tokens ran at 759 TFLOP/s.

Measured on one H100 SXM on 2026-11-28 (section 6): verifying 32 draft tokens in one pass cost
1.09 times one decode step.

Strategies for a fraction f of the weight bytes W kept off the GPU:
  stream, serial:      W / B_hbm + f W / B_link      (copy a layer, then compute it)
  stream, overlapped:  max(W / B_hbm, f W / B_link)  (prefetch the next layer meanwhile)
  compute on CPU:      (1 - f) W / B_hbm + f W / B_dram  (offloaded layers run on the CPU)
All bandwidths are peaks and overlap is perfect, so every time is a lower bound.

Writes figures/memory-hierarchy-and-offloading-time-per-token.svg and prints the quoted
numbers (the parts table, speculative verification over a streamed model, the CPU-bandwidth
sensitivity, the KV reload-versus-recompute comparison, the MoE expert offload estimate, the
ZeRO-Offload memory split and the activation-offload budget).
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save


def llama_params(vocab, d, layers, heads, kv_heads, head_dim, ffn, tied):
    attn = d * heads * head_dim + 2 * d * kv_heads * head_dim + heads * head_dim * d
    return layers * (attn + 3 * d * ffn + 2 * d) + vocab * d * (1 if tied else 2) + d


P = llama_params(128256, 8192, 80, 64, 8, 128, 28672, tied=False)
W = 2 * P  # BF16 bytes
GIB = 2**30


def usable(label_gb):
    """Bytes an application can allocate: the label read as GiB, less 1 GiB kept by the driver."""
    return (label_gb - 1) * GIB


HBM_BW, HBM_CAP = 3.35e12, usable(80)
PCIE = 64e9
PCIE_PINNED_MEASURED = 55.2e9
PCIE_PAGEABLE_MEASURED = 18.0e9
DRAM = 8 * 4800e6 * 8
NVME = 13e9
C2C = 450e9
RESERVE = 8e9  # HBM kept free for KV cache, activations and workspace (assumption)
PEAK = 989e12  # dense BF16 FLOP/s of an H100 SXM
GEMM_MEASURED = 759e12  # measured BF16 GEMM rate, 1024 tokens x 4096 x 14336

# name, HBM label (GB), HBM bandwidth, link to the host memory (per direction) or None
PARTS = [
    ("H100 SXM + PCIe Gen5", 80, 3.35e12, PCIE),
    ("H200 + PCIe Gen5", 141, 4.8e12, PCIE),
    ("GH200, 96 GB HBM3 + C2C", 96, 4.0e12, C2C),
    ("GH200, 144 GB HBM3e + C2C", 144, 4.9e12, C2C),
    ("B200", 180, 8.0e12, None),
    ("GB200 (per GPU)", 186, 8.0e12, None),
    ("MI300X", 192, 5.3e12, None),
]


def stream_serial(f, link):
    return W / HBM_BW + f * W / link


def stream_overlap(f, link, hbm_bw=HBM_BW):
    return np.maximum(W / hbm_bw, f * W / link)


def cpu_compute(f):
    return (1 - f) * W / HBM_BW + f * W / DRAM


def part_time(label, bw, link, reserve=RESERVE):
    """Overlapped streaming on a given part: (bytes kept off the GPU, seconds per token)."""
    off = max(0.0, W - (usable(label) - reserve))
    if off > 0 and link is None:
        raise ValueError("does not fit and has no host link in this model")
    return off, max(W / bw, off / link if off else 0.0)


def parts_table() -> None:
    print("\nLlama 3.1 70B BF16, batch 1, overlapped streaming, 8 GB reserved:")
    for name, label, bw, link in PARTS:
        off, t = part_time(label, bw, link)
        spare = usable(label) - RESERVE - W
        print(
            f"  {name:28s} {label:4d} GB label, usable {usable(label) / 1e9:5.1f} GB {bw / 1e12:4.2f} TB/s  off GPU {off / 1e9:5.1f} GB"
            f"  {t * 1e3:7.1f} ms/token  (all in HBM {W / bw * 1e3:5.1f} ms; spare after weights and reserve {spare / 1e9:5.1f} GB)"
        )
    # Sensitivity to the reserve (the KV cache a deployment needs).
    _, label, bw, link = PARTS[3]
    hidden = usable(label) - W + W * link / bw
    print(f"  GH200 144 GB: C2C streaming stays hidden while the reserve is <= {hidden / 1e9:.1f} GB")
    print(f"  H200 fits while the reserve is <= {(usable(141) - W) / 1e9:.1f} GB")
    for reserve in (0e9, 16e9, 32e9):
        for i in (1, 3):
            name, label, bw, link = PARTS[i]
            off, t = part_time(label, bw, link, reserve)
            print(f"  reserve {reserve / 1e9:3.0f} GB: {name:28s} off GPU {off / 1e9:5.1f} GB  {t * 1e3:6.1f} ms/token")
    print(f"  H200 with 8-bit weights ({P / 1e9:.1f} GB, fits): {P / PARTS[1][2] * 1e3:.1f} ms/token")


def kv_reload() -> None:
    # Recomputing a cached token's keys and values needs every layer below the last plus the
    # last layer's K and V projections; the last MLP, the LM head and the embedding lookup are
    # not needed (the same count as the KV cache optimization article). Linear layers only,
    # then attention: a token at position L costs 4 * L * (query heads * head dim) FLOPs per
    # layer (QK^T and AV), over the layers below the last; a causal prefix of N tokens has a
    # mean position of N / 2.
    print("\nKV cache: reload over PCIe versus recompute by prefill, per token")
    for name, layers, d, ffn, heads, kv_heads in (("Llama 3.1 8B", 32, 4096, 14336, 32, 8), ("Llama 3.1 70B", 80, 8192, 28672, 64, 8)):
        hd = 128
        kv_proj = 2 * d * kv_heads * hd
        per_layer = 2 * d * heads * hd + kv_proj + 3 * d * ffn
        params = (layers - 1) * per_layer + kv_proj
        kv = 2 * layers * kv_heads * hd * 2  # K and V in BF16
        block_k = 16 * kv_heads * hd * 2  # keys (or values) of one 16-token block of one layer
        print(
            f"  {name}: {kv:,} B/token; one 16-token block of one layer: K or V {block_k // 1024} KiB, both {2 * block_k // 1024} KiB; recompute needs {params / 1e9:.2f} B params"
        )
        rec_peak = 2 * params / PEAK
        rec_meas = 2 * params / GEMM_MEASURED
        print(f"    recompute >= {rec_peak * 1e6:.1f} us at peak, {rec_meas * 1e6:.1f} us at the measured GEMM rate (linear layers only)")
        for prefix in (4096, 32768, 131072):
            attn = 4 * (prefix / 2) * heads * hd * (layers - 1)
            print(
                f"    with attention, {prefix:6d}-token prefix: +{attn / (2 * params) * 100:4.0f}%, recompute >= {(2 * params + attn) / PEAK * 1e6:6.1f} us at peak"
            )
        for label, bw in (
            ("64 GB/s peak", PCIE),
            ("2 MiB copies, measured 51.4", 51.4e9),
            ("64 KiB copies, measured 7.4", 7.4e9),
            ("16 KiB copies, measured 1.4", 1.4e9),
        ):
            t = kv / bw
            print(f"    reload at {label:30s}: {t * 1e6:6.2f} us  (recompute/reload {rec_peak / t:5.2f} at peak, {rec_meas / t:5.2f} at measured)")


def speculative() -> None:
    # Streaming over PCIe at batch 1: a pass that checks k draft tokens moves the same bytes as
    # a pass that decodes one, and the extra FLOPs (2 P per token) are far below the link time.
    f_min = (W - (HBM_CAP - RESERVE)) / W
    t_pass = stream_overlap(f_min, PCIE)
    print("\nSpeculative verification over PCIe streaming (70B, H100, 8 GB reserve)")
    print(f"  compute for 32 tokens at peak: {32 * 2 * P / PEAK * 1e3:.1f} ms against a {t_pass * 1e3:.0f} ms pass")
    for a in (1, 2, 4, 8, 20):
        print(f"  {a:2d} accepted tokens per pass: {t_pass / a * 1e3:7.1f} ms/token ({a / t_pass:5.2f} tokens/s)")


def cpu_sensitivity() -> None:
    # CPU execution at a fraction eta of the DDR5 peak, against PCIe streaming.
    f_min = (W - (HBM_CAP - RESERVE)) / W
    off, on = f_min * W, (1 - f_min) * W
    t_pcie = off / PCIE
    eta_flip = (off / DRAM) / (t_pcie - on / HBM_BW)
    print("\nCPU execution against PCIe streaming, by achieved share of DDR5 peak")
    for eta in (1.0, 0.75, 0.5, eta_flip):
        print(f"  {eta:5.1%} of 307.2 GB/s: {(off / (eta * DRAM) + on / HBM_BW) * 1e3:7.1f} ms/token (PCIe streaming {t_pcie * 1e3:.0f} ms)")
    print(f"  CPU execution wins down to {eta_flip:.1%} of peak ({eta_flip * DRAM / 1e9:.1f} GB/s)")
    print(f"  two DIMMs per channel at 4400 MT/s: {8 * 4400e6 * 8 / 1e9:.1f} GB/s")


def moe_offload() -> None:
    # DeepSeek-V3 (released inference config): 61 layers, first 3 dense, width 7168, routed
    # expert FFN width 2048, 256 routed experts per MoE layer, 8 active per token; 671B total.
    d, inter, moe_layers, experts, active, total = 7168, 2048, 61 - 3, 256, 8, 671e9
    per_expert = 3 * d * inter
    routed = moe_layers * experts * per_expert
    routed_active = moe_layers * active * per_expert
    rest = total - routed
    q = 0.5  # bytes per parameter at 4 bits (scales ignored)
    print("\nDeepSeek-V3, routed experts in host DDR5, the rest on the GPU, 4-bit weights")
    print(
        f"  routed experts {routed / 1e9:.1f} B params ({routed * q / 1e9:.0f} GB), active per token {routed_active / 1e9:.1f} B; the rest {rest / 1e9:.1f} B ({rest * q / 1e9:.1f} GB)"
    )
    t_cpu = routed_active * q / DRAM
    print(f"  CPU reads {routed_active * q / 1e9:.1f} GB/token: {t_cpu * 1e3:.1f} ms, at most {1 / t_cpu:.0f} tokens/s")
    print(f"  streaming the active experts over PCIe instead: {routed_active * q / PCIE * 1e3:.0f} ms/token")
    print(f"  a dense model of the same size read from DDR5: {total * q / DRAM:.2f} s/token")
    for host in (DRAM, 2 * DRAM):
        print(f"  host at {host / 1e9:5.1f} GB/s: {routed_active * q / host * 1e3:5.1f} ms/token")
    for b in (1, 8, 32, 128):
        distinct = experts * (1 - (1 - active / experts) ** b)  # uniform, independent routing
        step = moe_layers * distinct * per_expert * q / DRAM
        print(f"  batch {b:3d}: {distinct:5.1f} distinct experts per layer, CPU step {step * 1e3:6.1f} ms, {step / b * 1e3:5.1f} ms per token")


def zero_offload() -> None:
    psi = 7e9
    print(
        f"\n7B training state {16 * psi / 1e9:.0f} GB; GPU keeps {2 * psi / 1e9:.0f} GB fp16 params; "
        f"CPU holds {12 * psi / 1e9:.0f} GB optimizer state + {2 * psi / 1e9:.0f} GB fp16 gradients = {14 * psi / 1e9:.0f} GB; "
        f"per step {2 * psi / 1e9:.0f} GB each way = {2 * psi / PCIE:.2f} s per direction at 64 GB/s, "
        f"{2 * psi / PCIE_PINNED_MEASURED:.2f} s at the measured 55.2 GB/s"
    )


def activation_offload() -> None:
    # Training: the forward pass of a layer does 2 FLOPs per parameter per token; offloading the
    # tensors it saves for the backward pass is free while they cross the link in that time.
    # Korthikanti et al. estimate 34 bytes per hidden unit per token for a GPT-style layer in
    # 16-bit with the attention scores not stored.
    d, ffn, heads, kv_heads, hd = 4096, 14336, 32, 8, 128
    per_layer = 2 * d * heads * hd + 2 * d * kv_heads * hd + 3 * d * ffn
    t_fwd = 2 * per_layer / PEAK
    saved = 34 * d
    print("\nActivation offload, Llama 3.1 8B layer, per token")
    print(
        f"  {per_layer / 1e6:.1f} M params; forward {2 * per_layer / 1e6:.0f} MFLOP = {t_fwd * 1e9:.0f} ns at peak; saved activations ~34 h = {saved / 1e3:.0f} kB"
    )
    for name, bw in (("PCIe Gen5", PCIE), ("NVLink-C2C", C2C)):
        print(f"  {name}: moves {bw * t_fwd / 1e3:5.1f} kB in that time, {bw * t_fwd / saved:4.0%} of the saved activations")


def main() -> None:
    f_min = (W - (HBM_CAP - RESERVE)) / W
    print(f"Llama 3.1 70B: {P / 1e9:.2f} B params, {W / 1e9:.1f} GB in BF16; input embedding {128256 * 8192 * 2 / 1e9:.2f} GB")
    print(f"host DRAM bandwidth per socket: {DRAM / 1e9:.1f} GB/s")
    print(f"minimum offload fraction with {RESERVE / 1e9:.0f} GB reserved: {f_min:.3f} ({f_min * W / 1e9:.1f} GB off the GPU)")
    base = W / HBM_BW
    print(f"all in HBM (if it fit): {base * 1e3:.1f} ms/token")
    for name, t in (
        ("PCIe stream, serial", stream_serial(f_min, PCIE)),
        ("PCIe stream, overlapped", stream_overlap(f_min, PCIE)),
        ("PCIe stream, measured pinned", stream_overlap(f_min, PCIE_PINNED_MEASURED)),
        ("PCIe stream, measured pageable", stream_overlap(f_min, PCIE_PAGEABLE_MEASURED)),
        ("CPU computes offloaded layers", cpu_compute(f_min)),
        ("NVMe stream, overlapped", stream_overlap(f_min, NVME)),
    ):
        print(f"  {name:32s} {t * 1e3:8.1f} ms/token  ({1 / t:6.2f} tokens/s, {t / base:6.1f}x all-in-HBM)")
    w8 = P  # one byte per parameter
    print(f"8-bit weights: {w8 / 1e9:.1f} GB, fits with {(HBM_CAP - w8) / 1e9:.1f} GB left; {w8 / HBM_BW * 1e3:.1f} ms/token")
    print(f"two GPUs, tensor parallel, BF16: {W / 2 / HBM_BW * 1e3:.1f} ms/token (ignoring communication)")
    print(f"overlap hides PCIe only while f <= {PCIE / HBM_BW:.4f}")
    parts_table()
    speculative()
    cpu_sensitivity()
    kv_reload()
    moe_offload()
    zero_offload()
    activation_offload()

    f = np.linspace(0.0, 1.0, 201)
    fig, ax = new_figure(width=7.5, height=4.4)
    ax.semilogy(f, stream_serial(f, PCIE) * 1e3, color=PALETTE[0], label="stream over PCIe Gen5, serial")
    ax.semilogy(f, stream_overlap(f, PCIE) * 1e3, color=PALETTE[0], linestyle="--", label="stream over PCIe Gen5, overlapped")
    ax.semilogy(f, stream_overlap(f, PCIE_PAGEABLE_MEASURED) * 1e3, color=PALETTE[2], linestyle="-.", label="overlapped, pageable memory (18.0 GB/s measured)")
    ax.semilogy(f, cpu_compute(f) * 1e3, color=PALETTE[1], label="run offloaded layers on CPU (DDR5)")
    ax.semilogy(f, stream_overlap(f, NVME) * 1e3, color=PALETTE[3], label="stream from NVMe SSD, overlapped")
    ax.axvspan(0, f_min, color="0.85", alpha=0.6, linewidth=0)
    ax.annotate("does not fit in 80 GB", (f_min / 2, 30), ha="center", fontsize=9, color="0.3")
    ax.axhline(base * 1e3, color="0.3", linestyle=":", linewidth=0.9)
    ax.set_xlabel("fraction of weight bytes kept off the GPU")
    ax.set_ylabel("decode time per token, batch 1 (ms)")
    ax.set_title(f"Llama 3.1 70B, BF16 ({W / 1e9:.0f} GB), one H100 SXM")
    ax.annotate(f"all weights in HBM: {base * 1e3:.0f} ms", (0.62, base * 1e3), xytext=(0, -12), textcoords="offset points", fontsize=9, color="0.3")
    ax.set_ylim(10, 2e5)
    ax.legend(loc="upper left", ncols=2, frameon=False, fontsize=8)
    save(fig, "memory-hierarchy-and-offloading-time-per-token", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: taller, shorter y label, the legend below the axes in one column."""
    ax = fig.axes[0]
    fig.set_size_inches(4.0, 4.8)
    ax.set_ylabel("time per token, batch 1 (ms)")
    ax.set_title(ax.get_title().replace("\n", " ").replace(" one H100 SXM", "\none H100 SXM"))
    for text in ax.texts:
        if text.get_text() == "does not fit in 80 GB":
            text.set_position((text.xy[0], 5e4))
            text.xy = (text.xy[0], 5e4)
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.2), ncols=1, frameon=False, fontsize=8)


if __name__ == "__main__":
    main()
