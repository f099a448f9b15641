"""Memory and communication budget per GPU for Llama 3 70B training configurations on 64 GPUs.

Model states come from distributed_training_memory.py (2 bytes of 16-bit parameters, G bytes of
gradients, 12 bytes of FP32 optimizer state per parameter), for G = 2 (the ZeRO paper's
accounting) and G = 4 (FP32 gradients, as Megatron-LM's distributed optimizer documents and as
Llama 3 trained).

Activations: one micro-batch is one sequence of s = 8192 tokens. Instead of the GPT constant
34 of Korthikanti et al. (arXiv:2205.05198), the script counts the tensors a Llama-style layer
keeps for its backward pass, in BF16, with no dropout, grouped-query attention (8 of 64 heads
for keys and values) and a SwiGLU feed-forward block of width 3.5h. Attention scores are not
stored (a fused attention kernel recomputes them: "selective" recomputation). With full
activation checkpointing a layer keeps only its input, and the layer being recomputed holds its
full set. Tensor parallelism with sequence parallelism divides all of them by t. The loss adds
FP32 logits and their gradient (2 x 4 x s x V bytes), divided by t when the output layer is
vocabulary-parallel. Fully sharded configurations also hold two gathered layers of 16-bit
weights (the current one and a prefetched one) and one layer's unsharded gradient.
Allocator fragmentation, communication buffers and kernel workspaces are not counted.

Communication: ring collectives, where each GPU sends (N-1)/N of the data per all-gather or
reduce-scatter and twice that per all-reduce. Bytes become seconds with NVLink at 450 GB/s per
direction (half of the H100's 900 GB/s bidirectional), one 400 Gb/s (50 GB/s) network port per
GPU as in Llama 3's clusters, and compute at 400 TFLOP/s per GPU, the rate Llama 3 405B
sustained on H100s (380-430 TFLOP/s). A collective whose group spans every GPU of several nodes
runs its rings through all eight ports of a node, so its rate per GPU is taken as
min(8 x 50, 450) = 400 GB/s; a group with one GPU per node has only its own port, 50 GB/s.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save
from distributed_training_memory import G_BYTES, G_FP32, GB, VOCAB, llama3_70b_params, states

S, H, LAYERS, FFN, KV = 8192, 8192, 80, 28672, 1024
SBH = S * H  # elements of one s x b x h tensor (b = 1)
NVLINK, PORT, PORTS_PER_NODE, FLOPS = 450e9, 50e9, 8, 400e12
HBM = [(80, "H100 80 GB"), (141, "H200 141 GB"), (180, "B200 180 GB")]

# Tensors a Llama 3 70B layer keeps for its backward pass, in units of s x b x h elements.
SAVED = [
    ("attention RMSNorm input", 1.0),
    ("QKV projection input", 1.0),
    ("queries", 1.0),
    ("keys and values", 2 * KV / H),
    ("attention output (output-projection input)", 1.0),
    ("MLP RMSNorm input", 1.0),
    ("gate and up projection input", 1.0),
    ("gate projection output", FFN / H),
    ("up projection output", FFN / H),
    ("SiLU output", FFN / H),
    ("down-projection input", FFN / H),
]


def act_constant(fused_swiglu: bool = False) -> float:
    """Bytes per layer divided by s*b*h, BF16 (2 bytes per element)."""
    elements = sum(n for name, n in SAVED if not (fused_swiglu and name == "SiLU output"))
    return 2 * elements


def activations(mode: str, t: int, layers: int, in_flight: int, c: float) -> float:
    """Activation bytes per GPU for `in_flight` micro-batches over `layers` layers."""
    # Full checkpointing keeps each layer's input, plus one layer's full set while it is recomputed.
    per_mb = c * SBH * layers / t if mode == "selective" else 2 * SBH * layers / t
    working = 0.0 if mode == "selective" else c * SBH / t
    return in_flight * per_mb + working


def configs(psi: float, g: int, c: float) -> list[tuple[str, dict[str, float]]]:
    layer_params = psi / LAYERS  # close enough: embeddings are about 3% of the total
    loss = 2 * 4 * S * VOCAB
    gathered = 2 * 2 * layer_params + g * layer_params
    out = []
    for label, st, mode, t, layers, in_flight, loss_div, transient in [
        ("TP8 + ZeRO-1, selective", states(psi, 8, 8, 64, g), "selective", 8, 80, 1, 8, 0.0),
        ("TP8 + ZeRO-1, full recompute", states(psi, 8, 8, 64, g), "full", 8, 80, 1, 8, 0.0),
        ("TP8 x PP2 + ZeRO-1, selective (stage 0)", states(psi, 16, 16, 64, g), "selective", 8, 40, 2, None, 0.0),
        ("FSDP over 64, full recompute", states(psi, 64, 64, 64, g), "full", 1, 80, 1, 1, gathered),
        ("HSDP 8x8, full recompute", states(psi, 8, 8, 8, g), "full", 1, 80, 1, 1, gathered),
    ]:
        out.append((label, {
            "model states": sum(st),
            "activations": activations(mode, t, layers, in_flight, c),
            "loss logits": loss / loss_div if loss_div else 0.0,
            "gathered layers": transient,
        }))
    return out


def communication(psi: float, g: int) -> None:
    """Bytes and seconds per GPU per micro-batch (one 8,192-token sequence per model replica)."""
    tp_layer = 4 * 2 * 7 / 8 * SBH * 2  # four all-reduces of a bf16 s x h tensor per layer, t = 8
    fsdp_rate = min(PORTS_PER_NODE * PORT, NVLINK)
    # name, FLOPs per GPU per micro-batch, NVLink bytes, network bytes per micro-batch, its rate,
    # network bytes per optimizer step (over each GPU's own port)
    rows = [
        ("FSDP over 64, full recompute", 8 * psi * S, 0.0, 63 / 64 * psi * (2 + 2 + g), fsdp_rate, 0.0),
        ("TP8 + ZeRO-1, selective", 6 * psi * S / 8, 80 * tp_layer, 0.0, PORT, 7 / 8 * (g + 2) * psi / 8),
        ("TP8 x PP8, selective", 6 * psi * S / 64, 10 * tp_layer, 2 * 2 * SBH / 8, PORT, 0.0),
    ]
    print(f"Communication with {g}-byte gradients, per GPU per micro-batch:")
    for name, flop, nvl, net, rate, per_step in rows:
        compute = flop / FLOPS
        print(f"  {name:28s} compute {compute:6.2f} s | NVLink {nvl / GB:5.1f} GB = {nvl / NVLINK:5.3f} s "
              f"({100 * nvl / NVLINK / compute:4.1f}%) | network {net / GB:6.2f} GB = {net / rate:5.2f} s "
              f"at {rate / 1e9:.0f} GB/s ({100 * net / rate / compute:4.1f}%), {net / PORT:5.2f} s at 50 GB/s "
              f"({100 * net / PORT / compute:5.1f}%) | per optimizer step {per_step / GB:4.1f} GB "
              f"= {per_step / PORT:4.2f} s")


def main() -> None:
    psi = llama3_70b_params()
    c_llama, c_fused = act_constant(), act_constant(fused_swiglu=True)
    print(f"Activation constant per layer: Llama 3 70B {c_llama:.1f} s*b*h bytes "
          f"({c_fused:.1f} with a fused SwiGLU), GPT constant of Korthikanti et al. 34")
    for c in (34.0, c_fused, c_llama):
        print(f"  constant {c:4.1f}: {c * SBH / GB:5.2f} GB per layer, {c * SBH * LAYERS / GB:6.1f} GB for 80 layers, "
              f"{c * SBH * LAYERS / 8 / GB:5.1f} GB per GPU with TP 8 and sequence parallelism")
    print(f"Loss: FP32 logits {4 * S * VOCAB / GB:.2f} GB, with their gradient {8 * S * VOCAB / GB:.2f} GB")
    flop = 6 * psi * 15e12
    print(f"Pretraining compute at 15T tokens: {flop:.2e} FLOP = {flop / FLOPS / 3.156e7:.0f} GPU-years "
          f"at {FLOPS / 1e12:.0f} TFLOP/s")

    results = {}
    for g in (G_BYTES, G_FP32):
        for c in (34.0, c_llama):
            for label, parts in configs(psi, g, c):
                total = sum(parts.values()) / GB
                results[(g, c, label)] = (parts, total)
                fits = ", ".join(f"{name.split()[0]} {'yes' if total <= cap else 'no'}" for cap, name in HBM)
                print(f"G={g} c={c:4.1f} {label:42s} states {parts['model states'] / GB:6.1f} "
                      f"act {parts['activations'] / GB:5.1f} loss {parts['loss logits'] / GB:4.1f} "
                      f"gathered {parts['gathered layers'] / GB:4.1f} total {total:6.1f} GB  fits: {fits}")
        communication(psi, g)

    labels = [label for label, _ in configs(psi, G_BYTES, c_llama)]
    fig, ax = new_figure(width=9.0, height=4.8)
    y = np.arange(len(labels))[::-1] * 2.6
    names = ["model states", "activations", "loss logits", "gathered layers"]
    for offset, g, hatch in [(0.55, G_BYTES, None), (-0.55, G_FP32, "///")]:
        left = np.zeros(len(labels))
        for i, name in enumerate(names):
            vals = np.array([results[(g, c_llama, lab)][0][name] / GB for lab in labels])
            ax.barh(y + offset, vals, left=left, height=1.0, color=PALETTE[i], hatch=hatch,
                    edgecolor="white", linewidth=0, label=name if g == G_BYTES else None)
            left += vals
        for yi, total in zip(y + offset, left, strict=True):
            ax.text(total + 2, yi, f"{total:.0f} GB" + ("" if g == G_BYTES else " (FP32 grads)"),
                    va="center", fontsize=7.5)
    for cap, name in HBM:
        ax.axvline(cap, color="black", linestyle="--", linewidth=0.9)
        ax.text(cap + 1, y[0] + 1.45, name, fontsize=7.5, ha="left", va="bottom")
    ax.set_yticks(y, [lab.replace(", ", "\n") for lab in labels], fontsize=8)
    ax.set_xlim(0, 260)
    ax.set_ylim(y[-1] - 1.4, y[0] + 2.2)
    ax.set_xlabel("memory per GPU for one 8,192-token micro-batch (GB)")
    ax.set_title("Llama 3 70B on 64 GPUs: upper bar 16-bit gradients, lower (hatched) FP32 gradients",
                 fontsize=9.5)
    ax.legend(frameon=False, fontsize=8, loc="upper right", bbox_to_anchor=(1.0, 0.93))
    ax.grid(axis="y", visible=False)
    save(fig, "distributed-training-budget")


if __name__ == "__main__":
    main()
