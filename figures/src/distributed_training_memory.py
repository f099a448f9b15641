"""Model-state memory per GPU for Llama 3 70B under data, ZeRO/FSDP, tensor and pipeline parallelism.

Parameter count from the architecture in Table 3 of the Llama 3 paper (arXiv:2407.21783):
80 layers, model dimension 8192, FFN dimension 28672, 64 attention heads, 8 key-value heads,
vocabulary 128,000, untied input and output embeddings, SwiGLU feed-forward.

Memory accounting follows the ZeRO paper (arXiv:1910.02054): mixed-precision Adam keeps
2 bytes of 16-bit parameters, 2 bytes of 16-bit gradients and K = 12 bytes of optimizer state
(FP32 master weights, momentum, variance) per parameter. Activations, temporary buffers and
fragmentation are excluded. The script also reproduces the ZeRO paper's own example
(7.5B parameters, 64 GPUs) as a check.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

GB = 1e9
P_BYTES, G_BYTES, K = 2, 2, 12


def llama3_70b_params() -> int:
    d, layers, ffn, heads, kv_heads, vocab = 8192, 80, 28672, 64, 8, 128_000
    head_dim = d // heads
    attn = d * heads * head_dim * 2 + d * kv_heads * head_dim * 2
    mlp = 3 * d * ffn
    norms = 2 * d
    return layers * (attn + mlp + norms) + 2 * vocab * d + d


def states(psi: float, shard_p: float, shard_g: float, shard_o: float) -> tuple[float, float, float]:
    """Bytes per GPU for (parameters, gradients, optimizer), each divided by its shard factor."""
    return P_BYTES * psi / shard_p, G_BYTES * psi / shard_g, K * psi / shard_o


def strategies(psi: float, n: int, node: int) -> list[tuple[str, tuple[float, float, float]]]:
    dp_tp = n // node  # data-parallel degree when tensor parallelism spans a node
    return [
        ("DDP", states(psi, 1, 1, 1)),
        ("ZeRO-1", states(psi, 1, 1, n)),
        ("ZeRO-2", states(psi, 1, n, n)),
        ("ZeRO-3\nFSDP", states(psi, n, n, n)),
        (f"HSDP\n{node}x{dp_tp}", states(psi, node, node, node)),
        (f"TP{node}\nDDP{dp_tp}", states(psi, node, node, node)),
        (f"TP{node}\nZeRO-1", states(psi, node, node, node * dp_tp)),
        (f"TP{node}\nPP{dp_tp}", states(psi, n, n, n)),
    ]


def main() -> None:
    # Check against the ZeRO paper's example: 7.5B parameters on 64 GPUs.
    for name, parts in strategies(7.5e9, 64, 8)[:4]:
        print(f"ZeRO check, 7.5B on 64 GPUs, {name.replace(chr(10), ' '):18s}: {sum(parts) / GB:6.1f} GB")

    psi, n, node, hbm = llama3_70b_params(), 64, 8, 80
    print(f"Llama 3 70B parameters: {psi:,} ({psi / 1e9:.2f}B)")
    print(f"bf16 weights alone: {P_BYTES * psi / GB:.1f} GB")
    rows = strategies(psi, n, node)
    for name, parts in rows:
        total = sum(parts) / GB
        fits = "fits" if total < hbm else "does not fit"
        print(f"{name.replace(chr(10), ' '):24s} params {parts[0] / GB:7.1f}  grads {parts[1] / GB:7.1f}  "
              f"optim {parts[2] / GB:7.1f}  total {total:7.1f} GB  ({fits} in {hbm} GB)")

    fig, (ax1, ax2) = new_figure(width=10.5, height=4.4, ncols=2)
    ymax = 320.0
    x = np.arange(len(rows))
    bottom = np.zeros(len(rows))
    for i, label in enumerate(["16-bit parameters", "16-bit gradients", "FP32 Adam states + master"]):
        vals = np.array([parts[i] / GB for _, parts in rows])
        shown = np.clip(bottom + vals, 0, ymax) - np.clip(bottom, 0, ymax)
        ax1.bar(x, shown, bottom=np.clip(bottom, 0, ymax), color=PALETTE[i], label=label, width=0.7)
        bottom += vals
    for xi, total in zip(x, bottom, strict=True):
        text = f"{total:.0f} GB" + (" (clipped)" if total > ymax else "")
        ax1.text(xi, min(total, ymax) + 4, text, ha="center", va="bottom", fontsize=8)
    ax1.axhline(hbm, color="black", linestyle="--", linewidth=1)
    ax1.text(len(rows) - 0.6, hbm + 4, f"{hbm} GB per GPU", ha="right", fontsize=9)
    ax1.set_ylim(0, ymax * 1.08)
    ax1.set_xticks(x, [name for name, _ in rows], fontsize=8.5)
    ax1.set_ylabel("model-state memory per GPU (GB)")
    ax1.set_title(f"Llama 3 70B on {n} GPUs ({n // node} nodes of {node})", fontsize=10)
    ax1.legend(frameon=False, fontsize=8, loc="upper center")
    ax1.grid(axis="x", visible=False)

    gpus = np.array([8, 16, 32, 64, 128, 256, 512, 1024])
    curves = [("DDP", 1, 1, 1), ("ZeRO-1", 1, 1, None), ("ZeRO-2", 1, None, None),
              ("ZeRO-3 / FSDP", None, None, None)]
    for j, (label, sp, sg, so) in enumerate(curves):
        mem = [sum(states(psi, sp or g, sg or g, so or g)) / GB for g in gpus]
        ax2.plot(gpus, mem, marker="o", markersize=3, color=PALETTE[j], label=label)
    ax2.axhline(hbm, color="black", linestyle="--", linewidth=1)
    ax2.set_xscale("log", base=2)
    ax2.set_yscale("log")
    ax2.set_xlabel("data-parallel GPUs")
    ax2.set_ylabel("model-state memory per GPU (GB)")
    ax2.set_title("Only full sharding keeps shrinking", fontsize=10)
    ax2.legend(frameon=False, fontsize=8)
    save(fig, "distributed-training-memory")


if __name__ == "__main__":
    main()
