"""Total versus active parameters of Mixtral 8x7B and DeepSeek-V3, by component.

Inputs are the published architecture hyperparameters:
- Mixtral 8x7B: Table 1 of Jiang et al. (2024), arXiv:2401.04088.
- DeepSeek-V3: Section 4.2 of DeepSeek-AI (2024), arXiv:2412.19437, plus the dense
  FFN width (inter_dim = 18432) and vocabulary (129280) from the official
  inference/configs/config_671B.json in github.com/deepseek-ai/DeepSeek-V3.
Norm weights and the router are counted; biases other than the DeepSeek-V3
routing bias do not exist in these models. The multi-token-prediction module of
DeepSeek-V3 is excluded, as in the paper's 671B figure.

Definition of "active": every weight a token touches in one forward pass, including the
input embedding row table and the router (the table is counted whole, as the published
figures do). DeepSeek's README_WEIGHTS.md gives 36.7B active "including 0.9B for
Embedding and 0.9B for the output Head"; the script prints its own count without the
input table for comparison. It also prints the weight memory at 2, 1 and 0.5 bytes per
parameter (scale factors of block formats ignored).
"""

from __future__ import annotations

from _style import PALETTE, new_figure, save


def mixtral_8x7b() -> dict[str, tuple[float, float]]:
    d, layers, vocab, ffn = 4096, 32, 32000, 14336
    n_heads, n_kv, head_dim = 32, 8, 128
    experts, top_k = 8, 2
    attn = d * n_heads * head_dim * 2 + d * n_kv * head_dim * 2  # q, o + k, v
    expert = 3 * d * ffn  # SwiGLU: gate, up, down
    router = d * experts
    norms = 2 * d
    parts = {
        "embeddings + head": (2 * vocab * d + d, 2 * vocab * d + d),
        "attention": (layers * (attn + norms), layers * (attn + norms)),
        "router": (layers * router, layers * router),
        "routed experts": (layers * experts * expert, layers * top_k * expert),
    }
    return parts


def deepseek_v3() -> dict[str, tuple[float, float]]:
    d, layers, dense_layers, vocab = 7168, 61, 3, 129280
    n_heads, q_rank, kv_rank = 128, 1536, 512
    nope, rope, v_dim = 128, 64, 128
    dense_ffn, expert_ffn = 18432, 2048
    routed, shared, top_k = 256, 1, 8
    mla = (
        d * q_rank + q_rank  # W_DQ and its norm
        + q_rank * n_heads * (nope + rope)  # W_UQ (with decoupled RoPE part)
        + d * (kv_rank + rope) + kv_rank  # W_DKV + W_KR, and the kv norm
        + kv_rank * n_heads * (nope + v_dim)  # W_UK and W_UV
        + n_heads * v_dim * d  # W_O
    )
    norms = 2 * d
    expert = 3 * d * expert_ffn
    moe_layers = layers - dense_layers
    router = d * routed + routed  # affinity weights + balancing bias
    parts = {
        "embeddings + head": (2 * vocab * d + d, 2 * vocab * d + d),
        "attention": (layers * (mla + norms), layers * (mla + norms)),
        "dense FFN (3 layers)": (dense_layers * 3 * d * dense_ffn,) * 2,
        "router": (moe_layers * router, moe_layers * router),
        "shared expert": (moe_layers * shared * expert,) * 2,
        "routed experts": (moe_layers * routed * expert, moe_layers * top_k * expert),
    }
    return parts


def totals(parts: dict[str, tuple[float, float]]) -> tuple[float, float]:
    return sum(v[0] for v in parts.values()), sum(v[1] for v in parts.values())


def main() -> None:
    models = {"Mixtral 8x7B": mixtral_8x7b(), "DeepSeek-V3": deepseek_v3()}
    for name, parts in models.items():
        total, active = totals(parts)
        print(f"{name}: total {total / 1e9:.2f}B, active {active / 1e9:.2f}B, "
              f"active share {100 * active / total:.1f}%")
        for part, (t, a) in parts.items():
            print(f"  {part:22s} total {t / 1e9:8.3f}B  active {a / 1e9:7.3f}B")
        dense = sum(a for part, (t, a) in parts.items() if part != "routed experts")
        print(f"  used in full by every token (all but routed experts): {dense / 1e9:.2f}B, "
              f"{100 * dense / active:.1f}% of active")
        print("  weights: " + ", ".join(f"{total * b / 1e9:.1f} GB at {b} B/param" for b in (2, 1, 0.5)))
    vocab, d = 129280, 7168
    _, ds_active = totals(models["DeepSeek-V3"])
    print(f"DeepSeek-V3 active without the input embedding table: {(ds_active - vocab * d) / 1e9:.2f}B")

    component_order = ["embeddings + head", "attention", "dense FFN (3 layers)", "router",
                       "shared expert", "routed experts"]
    colors = dict(zip(component_order, PALETTE, strict=False))
    fig, axes = new_figure(width=8.0, height=4.2, ncols=2)
    for ax, (name, parts) in zip(axes, models.items(), strict=True):
        bottoms = [0.0, 0.0]
        for comp in component_order:
            if comp not in parts:
                continue
            vals = [parts[comp][0] / 1e9, parts[comp][1] / 1e9]
            ax.bar(["total", "active per token"], vals, bottom=bottoms, color=colors[comp],
                   label=comp, width=0.6)
            bottoms = [bottoms[0] + vals[0], bottoms[1] + vals[1]]
        for x, val in enumerate(bottoms):
            share = f" ({100 * val / bottoms[0]:.1f}%)" if x == 1 else ""
            ax.text(x, val, f"{val:.1f}B{share}", ha="center", va="bottom")
        ax.set_title(name)
        ax.set_ylabel("parameters (billions)")
        ax.set_ylim(0, bottoms[0] * 1.12)
        ax.grid(axis="x", visible=False)
    found = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            found.setdefault(lab, h)
    labels = [c for c in component_order if c in found]
    axes[1].legend([found[c] for c in labels], labels, loc="upper right", fontsize=9,
                   frameon=False)
    save(fig, "mixture-of-experts-params")


if __name__ == "__main__":
    main()
