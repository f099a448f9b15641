"""Capacity against bandwidth, as seen from one H100, for the tiers an LLM can use.

Every point is a vendor figure cited in the article (bandwidths per direction):
  HBM3 on the H100 SXM: 80 GB, 3,350 GB/s                       (NVIDIA H100 datasheet)
  peer H100s over NVLink in an 8-GPU HGX board: 7 x 80 GB, 450 GB/s (NVLink 900 GB/s total)
  Grace LPDDR5X over NVLink-C2C on a GH200: 480 GB, 450 GB/s      (NVIDIA GH200 documents)
  host DDR5 over PCIe Gen5 x16: 4 TB per Xeon 8480+ socket, 64 GB/s (128 GB/s total)
  the same DDR5 read by the CPU itself: 4 TB, 8 x 4800 MT/s x 8 B = 307.2 GB/s (Intel)
  one Samsung PM1743 NVMe SSD: 15.36 TB, 13 GB/s sequential read  (Samsung launch announcement, 2021)
Diagonal lines mark the time to read a whole tier once (capacity / bandwidth).

Also prints the step ratios between neighbouring tiers (HBM -> NVLink -> PCIe -> NVMe) and
the break-even batch sizes quoted in the article. The article compares these peaks with the
project's measurements on one H100 SXM (2026-11-28): a pinned 1 GiB host-to-device copy ran
at 55.2 GB/s (86% of 64 GB/s) and a device-to-device copy at 3020 GB/s (90% of 3.35 TB/s).

Writes figures/memory-hierarchy-and-offloading-tiers.svg and prints a table of the time
to move 141.1 GB (Llama 3.1 70B in BF16) through each tier.
"""

from __future__ import annotations

import itertools

import numpy as np

from _style import PALETTE, new_figure, save

TIERS = [
    ("H100 HBM3", 80, 3350),
    ("peer H100 HBM\nover NVLink", 560, 450),
    ("Grace LPDDR5X\nover NVLink-C2C", 480, 450),
    ("host DDR5 read by CPU", 4000, 307.2),
    ("host DDR5\nover PCIe Gen5", 4000, 64),
    ("NVMe SSD (PM1743)", 15360, 13),
]
MODEL_GB = 141.1


def main() -> None:
    for name, cap, bw in TIERS:
        print(f"{name.replace(chr(10), ' '):32s} {cap:>8,} GB {bw:>7,.1f} GB/s  whole tier {cap / bw:9.2f} s   141.1 GB in {MODEL_GB / bw * 1e3:9.1f} ms")

    # Batch size at which streaming BF16 weights through a tier hides behind compute:
    # b tokens per pass do 2 * b FLOPs per 2 bytes of weights, so b >= PEAK / bandwidth.
    peak = 989e12
    for name, _, bw in TIERS:
        print(f"break-even batch for streaming weights from {name.replace(chr(10), ' ')}: {peak / (bw * 1e9):,.0f}")

    # How much each step down costs: HBM -> NVLink -> PCIe -> NVMe (bandwidth) and capacity.
    chain = [TIERS[0], TIERS[1], TIERS[4], TIERS[5]]
    for (n1, c1, b1), (n2, c2, b2) in itertools.pairwise(chain):
        print(f"step {n1.replace(chr(10), ' ')} -> {n2.replace(chr(10), ' ')}: bandwidth / {b1 / b2:.1f}, capacity x {c2 / c1:.1f}")

    fig, ax = new_figure(width=7.5, height=4.6)
    caps = np.logspace(0, 5, 50)
    for t, lab, x in ((0.01, "10 ms", 25.0), (1.0, "1 s", 2500.0), (100.0, "100 s", 1.5e4)):
        ax.loglog(caps, caps / t, color="0.75", linewidth=0.8, linestyle="--")
        ax.annotate(f"whole tier read in {lab}", (x, x / t), xytext=(4, -2), textcoords="offset points", fontsize=8, color="0.45", ha="left", va="top")
    offsets = {
        "H100 HBM3": (8, 4),
        "peer H100 HBM\nover NVLink": (8, 4),
        "Grace LPDDR5X\nover NVLink-C2C": (-10, -28),
        "host DDR5 read by CPU": (8, 4),
        "host DDR5\nover PCIe Gen5": (8, -20),
        "NVMe SSD (PM1743)": (-40, 8),
    }
    for i, (name, cap, bw) in enumerate(TIERS):
        ax.scatter([cap], [bw], s=40, color=PALETTE[i % len(PALETTE)], zorder=3)
        ax.annotate(name, (cap, bw), xytext=offsets[name], textcoords="offset points", fontsize=8.5)
    ax.set_xlim(20, 1e5)
    ax.set_ylim(5, 1e4)
    ax.set_xlabel("capacity reachable from one GPU (GB)")
    ax.set_ylabel("bandwidth into the GPU or CPU (GB/s, one direction)")
    ax.set_title("Memory tiers around an H100: capacity against bandwidth")
    save(fig, "memory-hierarchy-and-offloading-tiers", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: taller, shorter title and y label, smaller point labels placed apart,
    diagonals labelled with their read time only (the caption explains them)."""
    ax = fig.axes[0]
    fig.set_size_inches(4.0, 4.2)
    ax.set_title("Memory tiers around an H100")
    ax.set_ylabel("bandwidth (GB/s, one direction)")
    offsets = {
        "H100 HBM3": (6, 3),
        "peer H100 HBM\nover NVLink": (-12, 8),
        "Grace LPDDR5X\nover NVLink-C2C": (-30, -24),
        "host DDR5 read by CPU": (6, -12),
        "host DDR5\nover PCIe Gen5": (6, -18),
        "NVMe SSD (PM1743)": (-70, 6),
    }
    for text in ax.texts:
        label = text.get_text()
        if label.startswith("whole tier read in "):
            text.set_text(label.replace("whole tier read in ", "read in "))
        else:
            text.set_position(offsets[label])
        text.set_fontsize(7.5)


if __name__ == "__main__":
    main()
