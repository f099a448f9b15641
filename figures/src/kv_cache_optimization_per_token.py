"""KV cache bytes per token for published model configurations (MHA, MQA, GQA, MLA).

Writes figures/kv-cache-optimization-per-token.svg and prints every number quoted in
articles/kv-cache-optimization.md (per-token sizes, the 128K-context worked example, and the
reload-versus-recompute comparison).

Per-token cache size, in bytes, with 2-byte (BF16/FP16) values:
- MHA, GQA, MQA: 2 (K and V) * layers * kv_heads * head_dim * 2
- MLA (DeepSeek-V2/V3): layers * (kv_lora_rank + rope_head_dim) * 2, one shared latent vector
  plus one decoupled RoPE key per token and layer.
Configurations are from the model papers and released config files cited in the article.
"""

from __future__ import annotations

from matplotlib.patches import Patch

from _style import PALETTE, new_figure, save

BYTES = 2
# name, attention type, layers, kv heads, head dim (for MLA: latent dim, rope dim)
MODELS = [
    ("Llama 2 7B", "MHA", 32, 32, 128),
    ("Llama 2 70B", "GQA", 80, 8, 128),
    ("Llama 3 8B", "GQA", 32, 8, 128),
    ("Llama 3 70B", "GQA", 80, 8, 128),
    ("Mistral 7B", "GQA", 32, 8, 128),
    ("Falcon 7B", "MQA", 32, 1, 64),
    # hypothetical: DeepSeek-V2's 128 heads of dimension 128 cached as plain MHA
    ("DeepSeek-V2 heads, MHA", "MHA", 60, 128, 128),
    ("DeepSeek-V2", "MLA", 60, 512, 64),
    ("DeepSeek-V3", "MLA", 61, 512, 64),
]
COLORS = {"MHA": PALETTE[1], "GQA": PALETTE[0], "MQA": PALETTE[2], "MLA": PALETTE[3]}


def per_token(kind: str, layers: int, a: int, b: int, nbytes: float = BYTES) -> float:
    if kind == "MLA":
        return layers * (a + b) * nbytes
    return 2 * layers * a * b * nbytes


def main() -> None:
    sizes = {}
    for name, kind, layers, a, b in MODELS:
        sizes[name] = per_token(kind, layers, a, b)
        gib_128k = sizes[name] * 131072 / 2**30
        print(f"{name:20s} {kind}: {sizes[name]:>10,.0f} B/token = {sizes[name] / 1024:8.1f} KiB; "
              f"128K tokens = {gib_128k:7.2f} GiB")
    print(f"MLA reduction vs MHA of the same heads (DeepSeek-V2): "
          f"{sizes['DeepSeek-V2 heads, MHA'] / sizes['DeepSeek-V2']:.1f}x")

    # Worked example: Llama 3.1 8B (Llama 3 8B shapes) at 131,072 tokens on one 80 GB H100.
    hbm, weights = 80e9, 8.03e9 * 2
    free = hbm - weights
    ctx = 131072
    for label, nbytes_per_val, kv_heads in (("BF16 GQA", 2, 8), ("FP8 GQA", 1, 8),
                                            ("2-bit GQA (no scale overhead)", 0.25, 8),
                                            ("BF16 as MHA (32 KV heads)", 2, 32)):
        seq_bytes = 2 * 32 * kv_heads * 128 * nbytes_per_val * ctx
        print(f"Llama 3.1 8B, {label:30s}: {seq_bytes / 1e9:6.2f} GB per 128K sequence; "
              f"{free / seq_bytes:5.2f} sequences fit in {free / 1e9:.1f} GB")

    # Reload from host memory versus recompute by prefill, per token, Llama 3 8B shapes.
    pcie_one_way = 64e9  # half of the datasheet's 128 GB/s PCIe Gen5 figure
    peak = 989e12
    linear_params = 7.50e9
    recompute = 2 * linear_params / peak
    for label, kv_heads in (("GQA, 8 KV heads", 8), ("as MHA, 32 KV heads", 32)):
        reload = 2 * 32 * kv_heads * 128 * 2 / pcie_one_way
        print(f"Llama 3 8B {label:20s}: reload {reload * 1e6:5.2f} us/token, "
              f"recompute >= {recompute * 1e6:5.2f} us/token, ratio {recompute / reload:4.1f}")

    fig, ax = new_figure(width=7.5, height=4.2)
    names = [m[0] for m in MODELS][::-1]
    kinds = [m[1] for m in MODELS][::-1]
    vals = [sizes[n] / 1024 for n in names]
    ax.barh(names, vals, color=[COLORS[k] for k in kinds])
    ax.set_xscale("log")
    ax.set_xlabel("KV cache per token (KiB, BF16, log scale)")
    for y, (v, n) in enumerate(zip(vals, names, strict=True)):
        ax.text(v * 1.08, y, f"{v:,.1f} KiB  ({sizes[n] * 131072 / 2**30:,.1f} GiB at 128K)",
                va="center", fontsize=8)
    ax.set_xlim(4, 4096 * 8)
    handles = [Patch(color=COLORS[k], label=k) for k in ("MHA", "GQA", "MQA", "MLA")]
    ax.legend(handles=handles, loc="lower right", fontsize=9)
    ax.grid(axis="y", visible=False)
    save(fig, "kv-cache-optimization-per-token")


if __name__ == "__main__":
    main()
