"""Serving footprint of three large open-weight models: weights, KV cache and compute.

Inputs (all stated in the article's worked example, with the architecture figures cited there):

* weights stored at 1 byte per parameter (FP8);
* KV cache stored in BF16 (2 bytes per value), 32 concurrent sequences of 32,768 tokens;
* one node of eight 80 GB GPUs, 640 GB in total;
* per generated token, about 2 floating-point operations per active parameter
  (the attention-score term, which grows with context, is left out).

Per-token KV values:

* Llama 3.1 405B: 126 layers, 8 key/value heads of dimension 128, keys and values:
  2 * 8 * 128 * 126.
* DeepSeek-V3: 61 layers of multi-head latent attention caching a 512-dimensional latent
  plus a 64-dimensional decoupled rotary key: (512 + 64) * 61.
* Qwen3.5-397B-A17B: 60 layers, of which 15 use gated full attention with 2 key/value heads
  of dimension 256 (the other 45 are Gated DeltaNet layers whose recurrent state does not
  grow with the sequence and is not counted here): 2 * 2 * 256 * 15.
"""

from __future__ import annotations

from _style import new_figure, save

GB = 1e9
SEQS, TOKENS = 32, 32_768
NODE_GB = 8 * 80
WEIGHT_BYTES, KV_BYTES = 1, 2

# name, total params, active params, KV values per token
MODELS = [
    ("Llama 3.1 405B (dense, GQA)", 405e9, 405e9, 2 * 8 * 128 * 126),
    ("DeepSeek-V3 (MoE, MLA)", 671e9, 37e9, (512 + 64) * 61),
    ("Qwen3.5-397B-A17B (MoE, hybrid)", 397e9, 17e9, 2 * 2 * 256 * 15),
]


def main() -> None:
    fig, ax = new_figure(width=7.2, height=4.0)
    names = []
    for i, (name, total, active, kv_vals) in enumerate(MODELS):
        w_gb = total * WEIGHT_BYTES / GB
        kv_tok = kv_vals * KV_BYTES
        kv_gb = kv_tok * SEQS * TOKENS / GB
        gflop = 2 * active / 1e9
        free_gb = NODE_GB - w_gb
        fit_tokens = free_gb * GB / kv_tok if free_gb > 0 else 0.0
        y = len(MODELS) - 1 - i
        ax.barh(y, w_gb, color="C0", label="weights (FP8)" if i == 0 else None)
        ax.barh(y, kv_gb, left=w_gb, color="C1",
                label=f"KV cache, {SEQS} x {TOKENS:,} tokens (BF16)" if i == 0 else None)
        ax.text(w_gb + kv_gb + 12, y, f"{gflop:,.0f} GFLOP/token", va="center", fontsize=8.5)
        names.append((y, name))
        print(f"{name:34s} weights {w_gb:6.0f} GB | KV {kv_tok:8,d} B/token "
              f"= {kv_tok / 1024:6.1f} KiB | KV for {SEQS}x{TOKENS} = {kv_gb:6.1f} GB | "
              f"total {w_gb + kv_gb:6.0f} GB | compute {gflop:5.0f} GFLOP/token | "
              f"tokens of KV that fit beside the weights in {NODE_GB} GB: {fit_tokens:,.0f}")
    ax.axvline(NODE_GB, color="0.3", linestyle="--", linewidth=1)
    ax.text(NODE_GB + 8, len(MODELS) - 0.55, f"8 x 80 GB = {NODE_GB} GB", fontsize=8.5,
            color="0.3")
    ax.set_yticks([y for y, _ in names])
    ax.set_yticklabels([n for _, n in names], fontsize=9)
    ax.set_xlabel("memory (GB)")
    ax.set_xlim(0, 1250)
    ax.set_title("Serving footprint on one node of eight 80 GB GPUs")
    ax.legend(fontsize=8.5, frameon=False, loc="upper center", bbox_to_anchor=(0.4, -0.18), ncol=2)
    save(fig, "open-weights-landscape-serving")


if __name__ == "__main__":
    main()
