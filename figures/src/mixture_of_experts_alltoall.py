"""Expert-parallel all-to-all time against expert arithmetic time, per token and MoE layer.

Model (worst case, balanced load): every one of a token's k expert copies lives on another
GPU. Dispatch sends k vectors of d elements at b_dispatch bytes, combine returns k at
b_combine bytes. With balanced routing a GPU sends (and receives) that many bytes per token
it owns in each direction, so the time on a link of B bytes/s per direction is
k * d * (b_dispatch + b_combine) / B. The experts' arithmetic is 6 * d * f * k FLOPs
(three d x f SwiGLU matrices, two FLOPs per multiply-add) at F FLOP/s. The ratio

    t_comm / t_compute = F * (b_dispatch + b_combine) / (6 * f * B)

does not depend on d or k. Below 1 the exchange can hide behind the expert GEMMs; above 1
it cannot. Ignored: attention and other work that can also overlap the exchange, latency,
copies that stay on the local GPU or node (node-limited routing halves DeepSeek-V3's
inter-node copies), and load imbalance.

F comes from the site's H100 SXM measurements (figures/measured/, fp8_gemm: the
(4096 x 4096) @ (4096 x 14336) GEMM, i.e. one Mixtral expert matrix, at 4,096 tokens);
DeepSeek-V3's narrower experts are assumed to run at the same rate. Thin dotted curves use
the datasheet's dense peaks instead (989 TFLOP/s BF16, 1,979 FP8; NVIDIA H100 page); the
dash-dotted curve uses a B200's dense FP8 peak (4.5 PFLOP/s, half the HGX page's 9 PFLOPS
with sparsity). Link markers are nominal per-direction rates: line rate for the network
ports, the datasheet for NVLink, and the 160 GB/s that DeepSeek states for the H800.

The script also prints (a) the link bandwidth at which each case crosses 1, with the
sensitivity to per-expert batch size (the measured 256-token rates), (b) an anchor against
DeepSeek-V3's reported ~1:1 training ratio, (c) a decode check against DeepEP's published
low-latency kernel timings and DeepSeek's deployed decode layout, and (d) the batch at which
expert GEMMs leave the measured memory-bound region.
"""

from __future__ import annotations

import numpy as np

from _measured import measured_table, number
from _style import PALETTE, new_figure, save

_GEMM = {int(r["tokens"]): r for r in measured_table("fp8_gemm")}
BF16_RATE = number(_GEMM[4096]["BF16 TFLOP/s"]) * 1e12  # measured, H100 SXM
FP8_RATE = number(_GEMM[4096]["FP8 TFLOP/s"]) * 1e12
PEAK = {"bf16": 989e12, "fp8": 1979e12}  # datasheet dense peaks, H100 SXM
B200_FP8_PEAK = 4.5e15  # HGX B200 page: 9 PFLOPS FP8 with sparsity, half without

# (label, f, dispatch bytes, combine bytes, GEMM precision)
CASES = [
    ("Mixtral 8x7B, BF16 dispatch and combine", 14336, 2, 2, "bf16"),
    ("DeepSeek-V3, BF16 dispatch and combine", 2048, 2, 2, "bf16"),
    ("DeepSeek-V3, FP8 dispatch, BF16 combine, FP8 GEMMs", 2048, 1, 2, "fp8"),
]
# Per-GPU, per-direction link rates (bytes/s).
LINKS = [
    (50e9, "400 Gb/s\nNIC"),
    (100e9, "800 Gb/s\nNIC"),
    (160e9, "H800\nNVLink"),
    (450e9, "H100\nNVLink"),
    (900e9, "NVLink 5\n(Blackwell)"),
]
BANDWIDTH = np.logspace(np.log10(10e9), np.log10(2000e9), 200)


def ratio(f: int, b_dispatch: int, b_combine: int, rate: float, bandwidth):
    return rate * (b_dispatch + b_combine) / (6 * f * bandwidth)


def decode_check() -> None:
    """DeepEP low-latency kernels, H800 + CX7 400 Gb/s, 128 tokens per GPU, d 7168, top-8,
    FP8 dispatch (with one float32 scale per 128 channels) and BF16 combine: published
    dispatch 194 us and combine 360 us per layer at EP256 (docs/legacy.md)."""
    tokens, k, d = 128, 8, 7168
    dispatch = tokens * k * (d + d // 128 * 4)
    combine = tokens * k * d * 2
    line = 50e9
    model_us = (dispatch + combine) / line * 1e6
    measured_us = 194 + 360
    print(f"decode EP: dispatch {dispatch / 1e6:.2f} MB + combine {combine / 1e6:.2f} MB per layer; "
          f"{model_us:.0f} us at 50 GB/s line rate vs {measured_us} us measured by DeepEP "
          f"({measured_us / model_us:.2f}x); effective {dispatch / 194e-6 / 1e9:.0f} and "
          f"{combine / 360e-6 / 1e9:.0f} GB/s; over 58 MoE layers {58 * measured_us / 1e3:.1f} ms per step "
          "if not overlapped")
    # DeepSeek's deployed decode (Day-6 overview): EP144, each GPU holds 2 routed + 1 shared
    # expert; read in FP8 at the measured weight-streaming rate.
    flat = _GEMM[1]
    weight_rate = 4096 * 14336 * 2 / (number(flat["BF16 us"]) * 1e-6)
    expert_bytes = 3 * d * 2048
    per_gpu = 3 * expert_bytes
    print(f"one DeepSeek-V3 expert in FP8: {expert_bytes / 1e6:.1f} MB; three per GPU at EP144: "
          f"{per_gpu / 1e6:.1f} MB, read in {per_gpu / weight_rate * 1e6:.1f} us at the measured "
          f"{weight_rate / 1e12:.2f} TB/s")
    # Deployed decode throughput: ~14.8k output tokens/s per 8-GPU H800 node, 20-22 tokens/s per user.
    for rate in (20, 22):
        print(f"at {rate} tokens/s per user: {1e3 / rate:.1f} ms per token, "
              f"{14800 / 8 / rate:.0f} sequences per GPU")


def training_anchor() -> None:
    """DeepSeek-V3 training, forward and backward, against the report's ~1:1 ratio.

    Node-limited routing: at most 4 nodes per token, each reached once over InfiniBand
    (FP8 dispatch, BF16 combine: 3 bytes per element). Compute: 8 routed + 1 shared expert,
    then also the MLA projections (config_671B.json shapes), at the measured FP8 rate.
    Backward: twice the forward arithmetic and one more dispatch-like and combine-like
    exchange at the same precisions. Core attention (the score and value products) is left out.
    """
    d, f = 7168, 2048
    ib_bytes = 4 * d * 3
    t_comm = ib_bytes / 50e9
    expert_flops = 9 * 6 * d * f
    mla = (d * 1536 + 1536 * 128 * 192  # query down and up
           + d * (512 + 64) + 512 * 128 * (128 + 128)  # key-value down and up
           + 128 * 128 * d)  # output
    t_exp = expert_flops / FP8_RATE
    t_all = (expert_flops + 2 * mla) / FP8_RATE
    print(f"training anchor: {ib_bytes} B over IB per token and layer, {t_comm * 1e6:.2f} us at 50 GB/s; "
          f"experts {expert_flops / 1e9:.2f} GFLOP, {t_exp * 1e6:.2f} us (ratio {t_comm / t_exp:.2f}); "
          f"+ MLA projections ({mla / 1e6:.1f}M params) {t_all * 1e6:.2f} us (ratio {t_comm / t_all:.2f}); "
          f"with backward (compute x3, exchanges x2) ratio {2 * t_comm / (3 * t_all):.2f}")


def anchor() -> None:
    """Largest measured token count whose BF16 time stays within 10% of one token's."""
    t1 = number(_GEMM[1]["BF16 us"])
    flat = max(n for n, r in _GEMM.items() if number(r["BF16 us"]) <= 1.1 * t1)
    print(f"expert GEMM memory-bound up to {flat} tokens per expert (BF16 {t1} us at 1 token, "
          f"{number(_GEMM[flat]['BF16 us'])} us at {flat}); batch B = {flat} * N / k: "
          f"Mixtral {flat * 8 // 2}, DeepSeek-V3 {flat * 256 // 8}")


def _phone(fig) -> None:
    """Phone layout: taller, shorter axis labels, link names written along their lines,
    the legend below the axes in one column."""
    ax = fig.axes[0]
    fig.set_size_inches(4.0, 5.0)
    for text, (b, name) in zip(ax.texts, LINKS, strict=True):
        text.set_text(name.replace("\n", " "))
        text.set_position((b / 1e9 * 1.04, 18))
        text.set_rotation(90)
        text.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85})
    ax.set_xlabel("bandwidth per GPU and direction (GB/s)")
    ax.set_ylabel("all-to-all time / expert GEMM time")
    ax.legend(fontsize=7.5, frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.18), ncol=1)


def main() -> None:
    fig, ax = new_figure(width=7.0, height=4.2)
    for i, (label, f, bd, bc, prec) in enumerate(CASES):
        rate = BF16_RATE if prec == "bf16" else FP8_RATE
        ax.plot(BANDWIDTH / 1e9, ratio(f, bd, bc, rate, BANDWIDTH), color=PALETTE[i], label=label)
        ax.plot(BANDWIDTH / 1e9, ratio(f, bd, bc, PEAK[prec], BANDWIDTH), ":", color=PALETTE[i],
                linewidth=1.0)
        cross = rate * (bd + bc) / (6 * f)
        cross_peak = PEAK[prec] * (bd + bc) / (6 * f)
        small = number(_GEMM[256][f"{prec.upper()} TFLOP/s"]) * 1e12 * (bd + bc) / (6 * f)
        at = {int(b / 1e9): ratio(f, bd, bc, rate, b) for b, _ in LINKS}
        print(f"{label:52s} intensity {6 * f / (bd + bc):6.0f} FLOP/B; rate {rate / 1e12:.0f} TFLOP/s; "
              f"crosses 1 at {cross / 1e9:.0f} GB/s ({cross_peak / 1e9:.0f} at peak, {small / 1e9:.0f} at the "
              f"256-token rate); ratio " + ", ".join(f"{v:.2f} at {b} GB/s" for b, v in at.items())
              + f"; at peak {ratio(f, bd, bc, PEAK[prec], 450e9):.2f} at 450 GB/s")
    ax.plot([], [], ":", color="#555555", linewidth=1.0, label="dotted: same at datasheet peak FLOP/s")
    # Blackwell: the FP8 DeepSeek-V3 case at a B200's dense FP8 peak, and at the H100's measured share of peak.
    share = FP8_RATE / PEAK["fp8"]
    b200_cross = B200_FP8_PEAK * 3 / (6 * 2048)
    ax.plot(BANDWIDTH / 1e9, ratio(2048, 1, 2, B200_FP8_PEAK, BANDWIDTH), "-.", color=PALETTE[2], linewidth=1.0,
            label="dash-dot: FP8 case at B200 datasheet peak")
    print(f"B200 FP8 peak: crosses 1 at {b200_cross / 1e9:.0f} GB/s; at the H100's measured {share:.1%} of peak "
          f"{share * b200_cross / 1e9:.0f} GB/s; ratio {ratio(2048, 1, 2, B200_FP8_PEAK, 900e9):.2f} at 900 GB/s")
    ax.axhline(1.0, color="#555555", linewidth=1.0)
    for i, (b, name) in enumerate(LINKS):
        ax.axvline(b / 1e9, color="#999999", linestyle="--", linewidth=0.8)
        ax.text(b / 1e9 * 1.05, 14 if i % 2 == 0 else 5.5, name, fontsize=7.5, va="top")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(10, 2000)
    ax.set_ylim(0.05, 20)
    ax.set_xlabel("nominal link bandwidth per GPU and direction (GB/s)")
    ax.set_ylabel("all-to-all time / expert GEMM time")
    ax.legend(fontsize=8, frameon=False, loc="lower left")
    save(fig, "mixture-of-experts-alltoall", phone=_phone)
    training_anchor()
    decode_check()
    anchor()


if __name__ == "__main__":
    main()
