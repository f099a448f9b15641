"""Decode time per token against the fraction of weights offloaded from HBM.

Model: Llama 3.1 70B in BF16 (80 layers, width 8192, FFN 28672, 64 query heads and
8 key/value heads of dimension 128, vocabulary 128256, untied embeddings; Llama 3
paper). Batch size 1, short context (KV-cache traffic ignored).

Hardware inputs (vendor documents cited in the article):
  H100 SXM: 80 GB HBM3 at 3.35 TB/s; PCIe Gen5 x16 128 GB/s total, 64 GB/s per direction
  Intel Xeon Platinum 8480+: 8 channels of DDR5-4800 -> 8 * 4800e6 * 8 B = 307.2 GB/s
  Samsung PM1743 NVMe SSD: 14 GB/s sequential read
  GH200 NVLink-C2C: 900 GB/s total, 450 GB/s per direction (HBM kept at 3.35 TB/s here
  so that only the link changes)

Strategies for a fraction f of the weight bytes W kept off the GPU:
  stream, serial:      W / B_hbm + f W / B_link      (copy a layer, then compute it)
  stream, overlapped:  max(W / B_hbm, f W / B_link)  (prefetch the next layer meanwhile)
  compute on CPU:      (1 - f) W / B_hbm + f W / B_dram  (offloaded layers run on the CPU)

Writes figures/memory-hierarchy-and-offloading-time-per-token.svg and prints the quoted
numbers.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save


def llama_params(vocab, d, layers, heads, kv_heads, head_dim, ffn, tied):
    attn = d * heads * head_dim + 2 * d * kv_heads * head_dim + heads * head_dim * d
    return layers * (attn + 3 * d * ffn + 2 * d) + vocab * d * (1 if tied else 2) + d


P = llama_params(128256, 8192, 80, 64, 8, 128, 28672, tied=False)
W = 2 * P  # BF16 bytes
HBM_BW, HBM_CAP = 3.35e12, 80e9
PCIE = 64e9
DRAM = 8 * 4800e6 * 8
NVME = 14e9
C2C = 450e9
RESERVE = 8e9  # HBM kept free for KV cache, activations and workspace (assumption)


def stream_serial(f, link):
    return W / HBM_BW + f * W / link


def stream_overlap(f, link):
    return np.maximum(W / HBM_BW, f * W / link)


def cpu_compute(f):
    return (1 - f) * W / HBM_BW + f * W / DRAM


def main() -> None:
    f_min = (W - (HBM_CAP - RESERVE)) / W
    print(f"Llama 3.1 70B: {P / 1e9:.2f} B params, {W / 1e9:.1f} GB in BF16")
    print(f"host DRAM bandwidth per socket: {DRAM / 1e9:.1f} GB/s")
    print(f"minimum offload fraction with {RESERVE / 1e9:.0f} GB reserved: {f_min:.3f} ({f_min * W / 1e9:.1f} GB off the GPU)")
    print(f"all in HBM (if it fit): {W / HBM_BW * 1e3:.1f} ms/token")
    for name, t in (
        ("PCIe stream, serial", stream_serial(f_min, PCIE)),
        ("PCIe stream, overlapped", stream_overlap(f_min, PCIE)),
        ("CPU computes offloaded layers", cpu_compute(f_min)),
        ("C2C stream, overlapped", stream_overlap(f_min, C2C)),
        ("NVMe stream, overlapped", stream_overlap(f_min, NVME)),
    ):
        print(f"  {name:32s} {t * 1e3:8.1f} ms/token  ({1 / t:6.2f} tokens/s)")
    w8 = P  # one byte per parameter
    print(f"8-bit weights: {w8 / 1e9:.1f} GB, fits with {(HBM_CAP - w8) / 1e9:.1f} GB left; {w8 / HBM_BW * 1e3:.1f} ms/token")
    print(f"two GPUs, tensor parallel, BF16: {W / 2 / HBM_BW * 1e3:.1f} ms/token (ignoring communication)")
    # Offloading fraction at which PCIe streaming stops hiding behind HBM reads
    print(f"overlap hides PCIe only while f <= {PCIE / HBM_BW:.4f}")

    # KV cache: reload over PCIe versus recompute (Llama 3.1 8B numbers)
    kv_per_token = 2 * 32 * 8 * 128 * 2
    recompute_per_token = 2 * 8.03e9 / 989e12
    print(f"8B KV reload {kv_per_token / PCIE * 1e6:.2f} us/token vs recompute >= {recompute_per_token * 1e6:.1f} us/token at peak")
    # Training: ZeRO-Offload for a 7B model with mixed-precision Adam (16 bytes/param)
    psi = 7e9
    print(
        f"7B training state {16 * psi / 1e9:.0f} GB; GPU keeps {2 * psi / 1e9:.0f} GB fp16 params, "
        f"CPU holds {12 * psi / 1e9:.0f} GB; per step {2 * psi / 1e9:.0f} GB each way "
        f"= {2 * psi / PCIE:.2f} s per direction"
    )

    f = np.linspace(0.0, 1.0, 201)
    fig, ax = new_figure(width=7.5, height=4.4)
    ax.semilogy(f, stream_serial(f, PCIE) * 1e3, color=PALETTE[0], label="stream over PCIe Gen5, serial")
    ax.semilogy(f, stream_overlap(f, PCIE) * 1e3, color=PALETTE[0], linestyle="--", label="stream over PCIe Gen5, overlapped")
    ax.semilogy(f, cpu_compute(f) * 1e3, color=PALETTE[1], label="run offloaded layers on CPU (DDR5)")
    ax.semilogy(f, stream_overlap(f, C2C) * 1e3, color=PALETTE[2], label="stream over NVLink-C2C, overlapped")
    ax.semilogy(f, stream_overlap(f, NVME) * 1e3, color=PALETTE[3], label="stream from NVMe SSD, overlapped")
    ax.axvspan(0, f_min, color="0.85", alpha=0.6, linewidth=0)
    ax.annotate("does not fit in 80 GB", (f_min / 2, 30), ha="center", fontsize=9, color="0.3")
    ax.axhline(W / HBM_BW * 1e3, color="0.3", linestyle=":", linewidth=0.9)
    ax.set_xlabel("fraction of weight bytes kept off the GPU")
    ax.set_ylabel("decode time per token, batch 1 (ms)")
    ax.set_title(f"Llama 3.1 70B, BF16 ({W / 1e9:.0f} GB), one H100 SXM")
    ax.annotate(
        f"all weights in HBM: {W / HBM_BW * 1e3:.0f} ms", (0.62, W / HBM_BW * 1e3), xytext=(0, -12), textcoords="offset points", fontsize=9, color="0.3"
    )
    ax.set_ylim(10, 2e5)
    ax.legend(loc="upper left", ncols=2, frameon=False, fontsize=8)
    save(fig, "memory-hierarchy-and-offloading-time-per-token")


if __name__ == "__main__":
    main()
