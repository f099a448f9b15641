"""Memory and communication budget per GPU for Llama 3 70B training configurations on 64 GPUs.

Model states come from distributed_training_memory.py (2 bytes of 16-bit parameters, G bytes of
gradients, 12 bytes of FP32 optimizer state per parameter), for G = 2 (the ZeRO paper's
accounting) and G = 4 (FP32 gradients, as Megatron-LM's distributed optimizer documents and as
Llama 3 trained). Megatron-LM's own figure for 16-bit gradients, 4 + 16/d bytes, is printed as a
sensitivity. Fully sharded rows use FSDP2's accounting: 16 bytes per parameter sharded (FP32
parameters, gradients and moments), whatever the reduction precision; G only sets the
precision of the gradient reduce-scatter.

Capacity: GB = 1e9 bytes. An H100 SXM reports 81,559 MiB to nvidia-smi (85.5 GB), the usable
figure this site budgets with; H200 (141 GB), B200 (180 GB) and B300 (288 GB) are datasheet
figures, whose usable sizes were not confirmed. No reserve is subtracted: what is left under
the line must hold the CUDA context, NCCL buffers and allocator fragmentation.

Activations: one micro-batch is one sequence of s = 8192 tokens. Instead of the GPT constant
34 of Korthikanti et al. (arXiv:2205.05198), the script counts the tensors a Llama-style layer
keeps for its backward pass, in BF16, with no dropout, grouped-query attention (8 of 64 heads
for keys and values) and a SwiGLU feed-forward block of width 3.5h. Attention scores are not
stored (a fused attention kernel recomputes them: "selective" recomputation). With full
activation checkpointing a layer keeps only its input, and the layer being recomputed holds its
full set. Tensor parallelism with sequence parallelism divides all of them by t. The loss adds
FP32 logits and their gradient (2 x 4 x s x V bytes), divided by t when the output layer is
vocabulary-parallel. Fully sharded configurations also hold two gathered layers of 16-bit
weights (the current one and a prefetched one) and one layer's unsharded BF16 gradient, plus its
FP32 copy for the reduce-scatter when G = 4.
Allocator fragmentation, communication buffers and kernel workspaces are not counted.

Anchor for the activation list: saved_bytes_per_sbh() builds one Llama-shaped layer at reduced
size (h = 1024, s = 256, 8 query heads and 1 key-value head of 128, feed-forward width 3.5h, the
70B model's ratios) in BF16 on the CPU and counts the bytes of the distinct tensors that
PyTorch's autograd saves for the backward pass (parameters and the shared RoPE table excluded),
once with PyTorch's own RMSNorm and once with an RMSNorm that saves only its input and a per-token
statistic, as fused kernels do. Attention runs through scaled_dot_product_attention, which
saves its output and log-sum-exp instead of the score matrix.

Communication: ring collectives, where each GPU sends (N-1)/N of the data per all-gather or
reduce-scatter and twice that per all-reduce. Bytes become seconds with NVLink at the 370 GB/s
that NCCL's ring collectives achieve on an H100 (line rate 450 GB/s per direction, half of the
900 GB/s bidirectional figure), one 400 Gb/s (50 GB/s line rate) network port per GPU as in
Llama 3's clusters, and compute at 400 TFLOP/s per GPU, the rate Llama 3 405B sustained on H100s
(380-430 TFLOP/s), counted as 6 operations per parameter per token (8 with full recomputation).
A collective whose group spans every GPU of several nodes runs its rings through all eight ports
of a node, so its rate per GPU is taken as min(8 x 50, 370) = 370 GB/s; a group with one GPU per
node has only its own port, 50 GB/s. Per-step shares use one global batch of 256 sequences of
8,192 tokens for every configuration.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save
from distributed_training_memory import G_BYTES, G_FP32, GB, H100_USABLE, VOCAB, fsdp2, llama3_70b_params, megatron_16bit_grads, states

S, H, LAYERS, FFN, KV = 8192, 8192, 80, 28672, 1024
SBH = S * H  # elements of one s x b x h tensor (b = 1)
NVLINK_LINE, NVLINK, PORT, PORTS_PER_NODE, FLOPS = 450e9, 370e9, 50e9, 8, 400e12
GLOBAL_BATCH = 256  # sequences per optimizer step
HBM = [(H100_USABLE, "H100 85.5 GB"), (141, "H200 141 GB"), (180, "B200 180 GB"), (288, "B300 288 GB")]

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


def saved_bytes_per_sbh(fused_norm: bool, s: int = 256, h: int = 1024) -> float:
    """Bytes autograd saves for one Llama-shaped BF16 layer, divided by s*h (b = 1), counted on the CPU."""
    import torch
    import torch.nn.functional as F

    torch.manual_seed(0)
    hd, heads, kv_heads, ffn, dt = 128, h // 128, h // 128 // 8, int(3.5 * h), torch.bfloat16

    class FusedRMSNorm(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            rstd = torch.rsqrt(x.float().pow(2).mean(-1, keepdim=True) + 1e-5)
            ctx.save_for_backward(x, w, rstd)
            return (x.float() * rstd).to(dt) * w

        @staticmethod
        def backward(ctx, g):
            x, w, rstd = ctx.saved_tensors
            xn = x.float() * rstd
            gx = g.float() * w.float()
            gx = rstd * (gx - xn * (gx * xn).mean(-1, keepdim=True))
            return gx.to(dt), (g.float() * xn).sum(0).sum(0).to(dt)

    def param(*shape):
        return torch.nn.Parameter(torch.randn(*shape, dtype=dt) * 0.02)

    wq, wk, wv, wo = param(h, h), param(kv_heads * hd, h), param(kv_heads * hd, h), param(h, h)
    wg, wu, wd = param(ffn, h), param(ffn, h), param(h, ffn)
    n1, n2 = torch.nn.Parameter(torch.ones(h, dtype=dt)), torch.nn.Parameter(torch.ones(h, dtype=dt))
    angles = torch.outer(torch.arange(s).float(), 1e4 ** (-torch.arange(0, hd, 2).float() / hd))
    freqs = torch.polar(torch.ones_like(angles), angles)[None, :, None, :]
    excluded = {t.untyped_storage().data_ptr() for t in (wq, wk, wv, wo, wg, wu, wd, n1, n2, freqs)}

    def norm(x, w):
        return FusedRMSNorm.apply(x, w) if fused_norm else F.rms_norm(x, (h,), w, 1e-5)

    def rope(x):
        xc = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))
        return torch.view_as_real(xc * freqs).flatten(3).type_as(x)

    saved: dict[int, int] = {}

    def pack(t):
        key = t.untyped_storage().data_ptr()
        if key not in excluded:
            saved[key] = t.untyped_storage().nbytes()
        return t

    x = torch.randn(1, s, h, dtype=dt, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        a = norm(x, n1)
        q = rope((a @ wq.T).view(1, s, heads, hd)).transpose(1, 2)
        k = rope((a @ wk.T).view(1, s, kv_heads, hd)).transpose(1, 2)
        v = (a @ wv.T).view(1, s, kv_heads, hd).transpose(1, 2)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        x2 = x + o.transpose(1, 2).reshape(1, s, h) @ wo.T
        c = norm(x2, n2)
        out = x2 + (F.silu(c @ wg.T) * (c @ wu.T)) @ wd.T
    out.float().sum().backward()  # the saved set must be enough for a backward pass
    return sum(saved.values()) / (s * h)


def activations(mode: str, t: int, layers: int, in_flight: int, c: float) -> float:
    """Activation bytes per GPU for `in_flight` micro-batches over `layers` layers."""
    # Full checkpointing keeps each layer's input, plus one layer's full set while it is recomputed.
    per_mb = c * SBH * layers / t if mode == "selective" else 2 * SBH * layers / t
    working = 0.0 if mode == "selective" else c * SBH / t
    return in_flight * per_mb + working


def configs(psi: float, g: int, c: float) -> list[tuple[str, dict[str, float]]]:
    layer_params = psi / LAYERS  # close enough: embeddings are about 3% of the total
    loss = 2 * 4 * S * VOCAB
    # two gathered BF16 layers, one layer's unsharded BF16 gradient and, for FP32 reduction, its FP32 copy
    gathered = (2 * 2 + 2 + (4 if g == G_FP32 else 0)) * layer_params
    out = []
    for label, st, mode, t, layers, in_flight, loss_div, transient in [
        ("TP8 + ZeRO-1, selective", sum(states(psi, 8, 8, 64, g)), "selective", 8, 80, 1, 8, 0.0),
        ("TP8 + ZeRO-1, full recompute", sum(states(psi, 8, 8, 64, g)), "full", 8, 80, 1, 8, 0.0),
        ("TP8 x PP2 + ZeRO-1, selective (stage 0)", sum(states(psi, 16, 16, 64, g)), "selective", 8, 40, 2, None,
         0.0),
        ("FSDP2 over 64, full recompute", fsdp2(psi, 64), "full", 1, 80, 1, 1, gathered),
        ("HSDP (FSDP2) 8x8, full recompute", fsdp2(psi, 8), "full", 1, 80, 1, 1, gathered),
        ("TP8 + DDP, selective", sum(states(psi, 8, 8, 8, g)), "selective", 8, 80, 1, 8, 0.0),
    ]:
        out.append((label, {
            "model states": st,
            "activations": activations(mode, t, layers, in_flight, c),
            "loss logits": loss / loss_div if loss_div else 0.0,
            "gathered layers": transient,
        }))
    return out


def communication(psi: float, g: int) -> None:
    """Bytes and seconds per GPU per micro-batch (one 8,192-token sequence) and per optimizer step."""
    tp_layer = 4 * 2 * 7 / 8 * SBH * 2  # four all-reduces (or RS + AG pairs) of a bf16 s x h tensor per layer
    fsdp_rate = min(PORTS_PER_NODE * PORT, NVLINK)
    # name, micro-batches per GPU per step, FLOPs per GPU per micro-batch, NVLink bytes, network bytes
    # per micro-batch, its rate, network bytes per optimizer step (over each GPU's own port), bubble slots
    rows = [
        ("FSDP2 over 64, full recompute", GLOBAL_BATCH // 64, 8 * psi * S, 0.0, 63 / 64 * psi * (2 + 2 + g),
         fsdp_rate, 0.0, 0),
        ("TP8 + ZeRO-1, selective", GLOBAL_BATCH // 8, 6 * psi * S / 8, 80 * tp_layer, 0.0, PORT,
         7 / 8 * (g + 2) * psi / 8, 0),
        ("TP8 x PP8, selective", GLOBAL_BATCH, 6 * psi * S / 64, 10 * tp_layer, 2 * 2 * SBH / 8, PORT, 0.0, 7),
    ]
    print(f"Communication with {g}-byte gradients, global batch {GLOBAL_BATCH} sequences:")
    for name, mbs, flop, nvl, net, rate, per_step, bubble in rows:
        compute = flop / FLOPS
        step = mbs * compute
        print(f"  {name:30s} {mbs:3d} micro-batches of {compute:5.2f} s = {step:5.1f} s compute per step")
        print(f"      per micro-batch: NVLink {nvl / GB:5.1f} GB = {nvl / NVLINK:5.3f} s at 370 GB/s "
              f"({100 * nvl / NVLINK / compute:4.1f}%; {100 * nvl / NVLINK_LINE / compute:4.1f}% at line rate) | "
              f"network {net / GB:6.3f} GB = {net / rate:5.2f} s at {rate / 1e9:.0f} GB/s "
              f"({100 * net / rate / compute:4.1f}%), {net / PORT:5.2f} s at 50 GB/s ({100 * net / PORT / compute:5.1f}%)")
        print(f"      per step: network {per_step / GB:4.1f} GB = {per_step / PORT:4.2f} s "
              f"({100 * per_step / PORT / step:3.1f}% of step compute); pipeline bubble {bubble} slots "
              f"= {100 * bubble / mbs:3.1f}% of step compute")
        if net and rate == fsdp_rate:
            print(f"      overlap fails below {net / compute / 1e9:4.1f} GB/s; at 50 GB/s once compute speeds up "
                  f"{compute / (net / PORT):4.2f}x")
            lin = psi - 2 * VOCAB * H - (2 * LAYERS + 1) * H  # Linear weights inside the blocks
            net8 = 63 / 64 * (2 * (lin + 2 * (psi - lin)) + g * psi)  # FP8 all-gathers of Linear weights
            print(f"      FP8 weight all-gathers: {net8 / GB:6.1f} GB = {net8 / PORT:5.2f} s at 50 GB/s; "
                  f"overlap fails once compute speeds up {compute / (net8 / PORT):4.2f}x")


def main() -> None:
    psi = llama3_70b_params()
    c_llama, c_fused = act_constant(), act_constant(fused_swiglu=True)
    c_eager, c_fused_norm = saved_bytes_per_sbh(fused_norm=False), saved_bytes_per_sbh(fused_norm=True)
    linear_inputs = ("QKV projection input", "attention output (output-projection input)",
                     "gate and up projection input", "down-projection input")
    c_fp8 = c_llama - sum(n for name, n in SAVED if name in linear_inputs)  # 1 byte instead of 2
    print(f"Activation constant per layer: Llama 3 70B {c_llama:.1f} s*b*h bytes "
          f"({c_fused:.1f} with a fused SwiGLU), GPT constant of Korthikanti et al. 34")
    print(f"  counted from autograd on the CPU: {c_fused_norm:.2f} with a fused RMSNorm, "
          f"{c_eager:.2f} with PyTorch's RMSNorm; {c_fp8:.1f} with Linear inputs cached in FP8")
    for c in (34.0, c_fused, c_llama, c_eager, c_fp8):
        print(f"  constant {c:4.1f}: {c * SBH / GB:5.2f} GB per layer, {c * SBH * LAYERS / GB:6.1f} GB for 80 layers, "
              f"{c * SBH * LAYERS / 8 / GB:5.1f} GB per GPU with TP 8 and sequence parallelism")
    print(f"Loss: FP32 logits {4 * S * VOCAB / GB:.2f} GB, with their gradient {8 * S * VOCAB / GB:.2f} GB")
    flop = 6 * psi * 15e12
    print(f"Pretraining compute at 15T tokens: {flop:.2e} FLOP = {flop / FLOPS / 3.156e7:.0f} GPU-years "
          f"at {FLOPS / 1e12:.0f} TFLOP/s")
    embed, attn = 6 * VOCAB * H, 6 * LAYERS * S * H  # input embedding (no matmul); causal attention scores
    print(f"Per token: 6 psi = {6 * psi:.3e}; input embedding {-100 * embed / (6 * psi):+.1f}%, causal attention "
          f"at s = {S} {100 * attn / (6 * psi):+.1f}%, net {100 * (attn - embed) / (6 * psi):+.1f}%")
    mega = megatron_16bit_grads(psi / 8, 8) + c_llama * SBH * LAYERS / 8 + 2 * 4 * S * VOCAB / 8
    print(f"TP8 + ZeRO-1 model states with Megatron-LM's 16-bit-gradient accounting: "
          f"{megatron_16bit_grads(psi / 8, 8) / GB:.1f} GB; with selective activations and logits {mega / GB:.1f} GB, "
          f"headroom on an H100 {H100_USABLE - mega / GB:+.1f} GB")
    bf16_moments = (2 + G_FP32) * psi / 8 + 8 * psi / 64  # DeepSeek-V3: FP32 master and gradients, BF16 moments
    print(f"TP8 + ZeRO-1, FP32 gradients, BF16 Adam moments: states {bf16_moments / GB:.1f} GB; with Linear inputs "
          f"in FP8 {(bf16_moments + c_fp8 * SBH * LAYERS / 8 + 2 * 4 * S * VOCAB / 8) / GB:.1f} GB in total, "
          f"with BF16 activations {(bf16_moments + c_llama * SBH * LAYERS / 8 + 2 * 4 * S * VOCAB / 8) / GB:.1f} GB")

    results = {}
    for g in (G_BYTES, G_FP32):
        for c in (34.0, c_llama, c_eager):
            for label, parts in configs(psi, g, c):
                total = sum(parts.values()) / GB
                results[(g, c, label)] = (parts, total)
                fits = ", ".join(f"{name.split()[0]} {cap - total:+.1f}" for cap, name in HBM)
                print(f"G={g} c={c:4.1f} {label:42s} states {parts['model states'] / GB:6.1f} "
                      f"act {parts['activations'] / GB:5.1f} loss {parts['loss logits'] / GB:4.1f} "
                      f"gathered {parts['gathered layers'] / GB:4.1f} total {total:6.1f} GB  headroom: {fits}")
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
    ax.set_xlim(0, 340)
    ax.set_ylim(y[-1] - 1.4, y[0] + 2.2)
    ax.set_xlabel("memory per GPU for one 8,192-token micro-batch (GB)")
    ax.set_title("Llama 3 70B on 64 GPUs: upper bar 16-bit, lower (hatched) FP32 gradients (GB = 1e9 bytes)",
                 fontsize=9.5)
    ax.legend(frameon=False, fontsize=8, loc="center", bbox_to_anchor=(0.70, 0.62))
    ax.grid(axis="y", visible=False)
    save(fig, "distributed-training-budget", phone=_phone)


def _phone(fig) -> None:
    """Phone layout: a taller panel; the capacity labels, 20 pt apart at this width, become two short
    lines centred above their lines; the bar labels drop "(FP32 grads)", which the title explains; the
    legend moves below the panel and the title and axis label break into lines."""
    ax = fig.axes[0]
    width, _ = fig.get_size_inches()
    fig.set_size_inches(width, 6.6)
    capacities = {name: cap for cap, name in HBM}
    for text in ax.texts:
        label = text.get_text()
        if label in capacities:
            gpu, size, _ = label.split()
            text.set_text(f"{gpu}\n{size}")
            text.set_transform(ax.get_xaxis_transform())
            text.set_position((capacities[label], 1.01))
            text.set_horizontalalignment("center")
            text.set_multialignment("center")
        else:
            text.set_text(label.replace(" (FP32 grads)", ""))
    ax.set_xlim(0, 310)
    ax.set_xlabel("memory per GPU (GB),\none 8,192-token micro-batch")
    ax.set_title("Llama 3 70B on 64 GPUs (GB = 1e9 bytes)\nupper bar: 16-bit gradients\n"
                 "lower bar (hatched): FP32 gradients", fontsize=9.5, pad=24)
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False, fontsize=8)

if __name__ == "__main__":
    main()
