"""Model-state memory per GPU for Llama 3 70B under data, ZeRO/FSDP, tensor and pipeline parallelism.

Parameter count from the architecture in Table 3 of the Llama 3 paper (arXiv:2407.21783):
80 layers, model dimension 8192, FFN dimension 28672, 64 attention heads, 8 key-value heads,
untied input and output embeddings, SwiGLU feed-forward; the vocabulary is the 128,256 entries
of the released configuration (the paper's table rounds it to 128,000).

Memory accounting: mixed-precision Adam keeps 2 bytes of 16-bit parameters, G bytes of gradients
and K = 12 bytes of optimizer state (FP32 master weights, momentum, variance) per parameter.
The ZeRO paper (arXiv:1910.02054) counts 16-bit gradients, G = 2 (16 bytes per parameter).
Megatron-LM's distributed optimizer documents bf16 parameters with FP32 gradients, G = 4
(18 bytes, 6 + 12/d with the optimizer sharded over d ranks), and Llama 3 accumulates and
reduce-scatters gradients in FP32. The figure shows both: the hatched segment is the extra
2 bytes per parameter of FP32 gradients. G = 2 is the ZeRO paper's idealization: Megatron-LM
documents 20 bytes (4 + 16/d) for 16-bit gradients, because it also keeps an FP32 gradient
(megatron_16bit_grads below). PyTorch's FSDP2 keeps no separate 16-bit copy: its sharded FP32
parameters, FP32 gradients and two Adam moments are 16 bytes per parameter whatever the
reduction precision (fsdp2 below), which is how the HSDP bar is counted.

Capacity: an H100 SXM is sold as 80 GB but reports 81,559 MiB to nvidia-smi, 85.5e9 bytes,
the usable figure this site budgets with (GB = 1e9 bytes throughout). Activations, temporary
buffers and fragmentation are excluded here (see distributed_training_budget.py). The script
also reproduces the ZeRO paper's own example (7.5B parameters, 64 GPUs, G = 2) as a check.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

GB = 1e9
P_BYTES, G_BYTES, K = 2, 2, 12
G_FP32 = 4
VOCAB = 128_256
H100_USABLE = 81_559 * 2**20 / GB  # 85.5 GB: what nvidia-smi reports for an H100 80GB HBM3


def llama3_70b_params() -> int:
    d, layers, ffn, heads, kv_heads, vocab = 8192, 80, 28672, 64, 8, VOCAB
    head_dim = d // heads
    attn = d * heads * head_dim * 2 + d * kv_heads * head_dim * 2
    mlp = 3 * d * ffn
    norms = 2 * d
    return layers * (attn + mlp + norms) + 2 * vocab * d + d


def states(psi: float, shard_p: float, shard_g: float, shard_o: float,
           g_bytes: int = G_BYTES) -> tuple[float, float, float]:
    """Bytes per GPU for (parameters, gradients, optimizer), each divided by its shard factor."""
    return P_BYTES * psi / shard_p, g_bytes * psi / shard_g, K * psi / shard_o


def fsdp2(psi: float, n: int) -> float:
    """FSDP2 bytes per GPU: FP32 parameter, gradient and two Adam moments, sharded n ways."""
    return 16 * psi / n


def megatron_16bit_grads(psi: float, d: int) -> float:
    """Megatron-LM distributed optimizer, 16-bit parameters and gradients: 4 + 16/d bytes per parameter."""
    return (4 + 16 / d) * psi


def strategies(psi: float, n: int, node: int, g_bytes: int = G_BYTES) -> list[tuple[str, tuple[float, ...]]]:
    """(label, bytes per GPU); FSDP2 bars carry a fourth entry, its 16 bytes per parameter, and zeros."""
    dp_tp = n // node  # data-parallel degree when tensor parallelism spans a node
    g = g_bytes
    return [
        ("DDP", states(psi, 1, 1, 1, g)),
        ("ZeRO-1", states(psi, 1, 1, n, g)),
        ("ZeRO-2", states(psi, 1, n, n, g)),
        ("ZeRO-3", states(psi, n, n, n, g)),
        (f"HSDP\n{node}x{dp_tp}", (0.0, 0.0, 0.0, fsdp2(psi, node))),
        (f"TP{node}\nDDP{dp_tp}", states(psi, node, node, node, g)),
        (f"TP{node}\nZeRO-1", states(psi, node, node, node * dp_tp, g)),
        (f"TP{node}\nPP{dp_tp}", states(psi, n, n, n, g)),
    ]


def main() -> None:
    # Check against the ZeRO paper's example: 7.5B parameters on 64 GPUs.
    for name, parts in strategies(7.5e9, 64, 8)[:4]:
        print(f"ZeRO check, 7.5B on 64 GPUs, {name.replace(chr(10), ' '):18s}: {sum(parts) / GB:6.1f} GB")

    psi, n, node, hbm = llama3_70b_params(), 64, 8, H100_USABLE
    print(f"Llama 3 70B parameters: {psi:,} ({psi / 1e9:.2f}B)")
    print(f"bf16 weights alone: {P_BYTES * psi / GB:.1f} GB; H100 usable capacity {hbm:.1f} GB")
    print(f"FSDP2 over {n} GPUs: {fsdp2(psi, n) / GB:.1f} GB, over {node}: {fsdp2(psi, node) / GB:.1f} GB "
          f"(either gradient precision)")
    print(f"Megatron-LM 16-bit gradients, TP {node} + distributed optimizer over {n // node}: "
          f"{megatron_16bit_grads(psi / node, n // node) / GB:.1f} GB")
    rows = strategies(psi, n, node)
    rows32 = strategies(psi, n, node, G_FP32)
    for (name, parts), (_, parts32) in zip(rows, rows32, strict=True):
        total, total32 = sum(parts) / GB, sum(parts32) / GB
        print(f"{name.replace(chr(10), ' '):12s} params {parts[0] / GB:7.1f}  grads {parts[1] / GB:7.1f} "
              f"(FP32 {parts32[1] / GB:7.1f})  optim {parts[2] / GB:7.1f}  total {total:7.1f} GB with 16-bit "
              f"gradients, {total32:7.1f} GB with FP32 gradients" + (" (FSDP2)" if len(parts) > 3 else ""))

    fig, (ax1, ax2) = new_figure(width=10.5, height=4.6, ncols=2)
    ymax = 320.0
    x = np.arange(len(rows))
    bottom = np.zeros(len(rows))
    segments = [
        ("16-bit parameters", [parts[0] for _, parts in rows], {}),
        ("16-bit gradients", [parts[1] for _, parts in rows], {}),
        ("extra for FP32 gradients", [p32[1] - p16[1] for (_, p16), (_, p32) in zip(rows, rows32, strict=True)],
         {"hatch": "///", "edgecolor": "white"}),
        ("FP32 Adam states + master", [parts[2] for _, parts in rows], {}),
        ("FSDP2: FP32 parameters, gradients, moments", [parts[3] if len(parts) > 3 else 0.0 for _, parts in rows],
         {}),
    ]
    colors = [PALETTE[0], PALETTE[1], PALETTE[1], PALETTE[2], PALETTE[3]]
    for i, (label, raw, style) in enumerate(segments):
        vals = np.array(raw) / GB
        shown = np.clip(bottom + vals, 0, ymax) - np.clip(bottom, 0, ymax)
        color = colors[i]
        ax1.bar(x, shown, bottom=np.clip(bottom, 0, ymax), color=color, label=label, width=0.7,
                linewidth=0, **style)
        bottom += vals
    totals16 = [sum(parts) / GB for _, parts in rows]
    for xi, t16, t32 in zip(x, totals16, bottom, strict=True):
        text = f"{t16:.0f}/{t32:.0f}" + ("\n(clipped)" if t32 > ymax else "")
        ax1.text(xi, min(t32, ymax) + 4, text, ha="center", va="bottom", fontsize=7.5)
    ax1.axhline(hbm, color="black", linestyle="--", linewidth=1)
    ax1.text(6.5, hbm + 4, f"{hbm:.1f} GB (H100 usable)", ha="center", fontsize=8.5)
    ax1.set_ylim(0, ymax * 1.12)
    ax1.set_xticks(x, [name for name, _ in rows], fontsize=8.5)
    ax1.set_ylabel("model-state memory per GPU (GB)")
    ax1.set_title(f"Llama 3 70B on {n} GPUs ({n // node} nodes of {node}); GB with 16-bit / FP32 gradients",
                  fontsize=9)
    ax1.legend(frameon=False, fontsize=7, loc="upper right")
    ax1.grid(axis="x", visible=False)

    gpus = np.array([8, 16, 32, 64, 128, 256, 512, 1024])
    curves = [("DDP", 1, 1, 1), ("ZeRO-1", 1, 1, None), ("ZeRO-2", 1, None, None),
              ("ZeRO-3 (solid: also FSDP2)", None, None, None)]
    for j, (label, sp, sg, so) in enumerate(curves):
        mem = [sum(states(psi, sp or g, sg or g, so or g)) / GB for g in gpus]
        mem32 = [sum(states(psi, sp or g, sg or g, so or g, G_FP32)) / GB for g in gpus]
        ax2.plot(gpus, mem, marker="o", markersize=3, color=PALETTE[j], label=label)
        ax2.plot(gpus, mem32, linestyle=":", color=PALETTE[j])
    ax2.plot([], [], linestyle=":", color="gray", label="dotted: FP32 gradients")
    ax2.axhline(hbm, color="black", linestyle="--", linewidth=1)
    ax2.set_xscale("log", base=2)
    ax2.set_yscale("log")
    ax2.set_xlabel("data-parallel GPUs")
    ax2.set_ylabel("model-state memory per GPU (GB)")
    ax2.set_title("Only full sharding keeps shrinking", fontsize=10)
    ax2.legend(frameon=False, fontsize=8)
    save(fig, "distributed-training-memory", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: 28 pt per bar, so every other bar name drops one line, the totals break after
    the slash, the capacity line joins the legend, and the left panel's legend moves below it."""
    ax1 = fig.axes[0]
    width, _ = fig.get_size_inches()
    fig.set_size_inches(width, 8.6)
    for i, tick in enumerate(ax1.xaxis.get_major_ticks()):
        tick.label1.set_fontsize(7.5)
        if i % 2:
            tick.set_pad(tick.get_pad() + 10)
    capacity = None
    for text in ax1.texts:
        label = text.get_text()
        if "H100 usable" in label:
            capacity = label
            text.set_visible(False)
        else:
            text.set_text(label.replace("/", "/\n").replace("\n(clipped)", "\nclipped"))
    handles, labels = ax1.get_legend_handles_labels()
    line = ax1.lines[0]  # the dashed capacity line
    ax1.get_legend().remove()
    ax1.legend([*handles, line], [*labels, capacity], frameon=False, fontsize=7.5, ncol=1,
               loc="upper center", bbox_to_anchor=(0.45, -0.22))
    ax1.set_title(ax1.get_title().replace("\n", " ").replace("); GB", ")\nGB"), fontsize=9, pad=14)


if __name__ == "__main__":
    main()
