"""Per-token decode latency of Llama 3 70B on four GPUs as a function of the latency of one small
all-reduce, tensor parallelism against the alternatives that need no all-reduce, at a fixed
24 GB/s per direction (NCCL's rating of a PCIe Gen4 x16 link).

Writes figures/distributed-inference-small-gpus-latency.svg and prints the crossover points quoted
in articles/distributed-inference-small-gpus.md. The model and every input are those of
distributed_inference_small_gpus_bandwidth.py (batch 1, 2048-token context, L40S datasheet
figures); only the latency varies here. The x axis is the time of one small all-reduce, which is
what NCCL's all_reduce_perf reports per collective. Each pipeline hop is charged the same latency,
which overstates the pipeline's cost (a point-to-point send is not slower than an all-reduce).
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save
from distributed_inference_small_gpus_bandwidth import (
    A0_NCCL,
    LAYERS,
    N_GPUS,
    OLD_PROTOS,
    PCIE4_BETA,
    W4,
    ar_latency,
    decode_pp,
    decode_tp,
    root,
)


def main() -> None:
    ars = np.logspace(-6, -1, 500)  # 1 us to 100 ms per all-reduce
    tp16 = np.array([decode_tp(1, ar=a)[0] for a in ars])
    pp16 = np.array([decode_pp(1, hop=a)[0] for a in ars])
    tp4 = np.array([decode_tp(1, w=W4, ar=a)[0] for a in ars])
    one4 = decode_tp(1, n=1, w=W4)[0]
    cross16 = root(lambda a: decode_tp(1, ar=a)[0] - decode_pp(1, hop=a)[0], 1e-6, 1e-1)
    cross4 = root(lambda a: decode_tp(1, w=W4, ar=a)[0] - one4, 1e-6, 1e-1)
    nccl, old = ar_latency(N_GPUS), ar_latency(N_GPUS, OLD_PROTOS)
    print(f"all-reduces per token: {2 * LAYERS}; pipeline hops per token: {N_GPUS}")
    print(f"small all-reduce on 4 PCIe GPUs: NCCL model {nccl * 1e6:.1f} us (base {A0_NCCL * 1e6:.1f} us), 10 us per ring step {old * 1e6:.0f} us")
    print(f"crossover, BF16: TP4 slower than PP4 above {cross16 * 1e6:.0f} us per all-reduce")
    print(f"crossover, 4-bit: TP4 slower than one GPU ({one4 * 1e3:.1f} ms) above {cross4 * 1e6:.0f} us per all-reduce")
    for a in (nccl, old, 1e-3, 10e-3):
        print(
            f"all-reduce {a * 1e6:8.1f} us: TP4 BF16 {decode_tp(1, ar=a)[0] * 1e3:8.1f} ms, PP4 BF16 "
            f"{decode_pp(1, hop=a)[0] * 1e3:7.1f} ms, TP4 4-bit {decode_tp(1, w=W4, ar=a)[0] * 1e3:8.1f} ms"
        )

    fig, ax = new_figure(width=7.0, height=3.9)
    ax.plot(ars * 1e6, tp16 * 1e3, color=PALETTE[0], label="TP=4, BF16")
    ax.plot(ars * 1e6, pp16 * 1e3, color=PALETTE[0], linestyle="--", label="PP=4, BF16")
    ax.plot(ars * 1e6, tp4 * 1e3, color=PALETTE[1], label="TP=4, 4-bit")
    ax.plot(ars * 1e6, np.full_like(ars, one4) * 1e3, color=PALETTE[1], linestyle="--", label="one GPU, 4-bit")
    for x, label in ((nccl, "NCCL model,\nPCIe"), (old, "10 µs per\nring step")):
        ax.axvline(x * 1e6, color="#777777", linewidth=0.8, linestyle=":")
        ax.text(x * 1e6, 1.02, label, transform=ax.get_xaxis_transform(), fontsize=7, ha="center", va="bottom")
    for cross, y, color in ((cross16, float(np.interp(cross16, ars, pp16)), PALETTE[0]), (cross4, one4, PALETTE[1])):
        ax.annotate(
            f"{cross * 1e6:.0f} µs",
            xy=(cross * 1e6, y * 1e3),
            xytext=(10, -22),
            textcoords="offset points",
            fontsize=9,
            color=color,
            arrowprops={"arrowstyle": "->", "color": color},
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("latency of one small all-reduce (µs)")
    ax.set_ylabel("time per output token (ms)")
    ax.set_title(f"Llama 3 70B, batch 1, 4 GPUs at {PCIE4_BETA / 1e9:.0f} GB/s per direction", pad=28)
    ax.legend(fontsize=9, loc="upper left")
    save(fig, "distributed-inference-small-gpus-latency", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: the two labels over the dotted lines sit 0.4 inch apart, so they lean away from
    each other; the title breaks after "4 GPUs"."""
    ax = fig.axes[0]
    for text in ax.texts:
        if text.get_text().startswith("NCCL model"):
            text.set_horizontalalignment("right")
        elif text.get_text().startswith("10 µs per"):
            text.set_horizontalalignment("left")
    ax.set_title(ax.get_title().replace("\n", " ").replace("4 GPUs at", "4 GPUs\nat"), pad=28)


if __name__ == "__main__":
    main()
