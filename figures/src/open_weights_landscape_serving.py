"""Serving footprint of three large open-weight models: memory, bytes read and time per token.

Every input is stated in the worked example of `articles/open-weights-landscape.md`, with the
architecture figures cited there. Units: GB = 1e9 bytes throughout.

Layout (one node of eight GPUs)
* Llama 3.1 405B: tensor parallelism over the 8 GPUs (TP=8). Each GPU holds 1/8 of every
  weight matrix and one of the 8 key/value heads, so nothing is stored or read twice.
* DeepSeek-V3 and Qwen3.5-397B-A17B: data-parallel attention with expert parallelism, as
  SGLang serves DeepSeek models (`--enable-dp-attention --tp 8 --dp 8`, which leaves an
  attention tensor-parallel group of tp // dp = 1 GPU: sglang/srt/runtime_context.py,
  derive_attn_tp_size, SGLang 0.5.23). Each GPU caches its own 4 of the 32 sequences and holds
  a full copy of the attention weights; the routed experts are spread over the 8 GPUs. Other
  non-routed weights (embeddings, shared experts, dense layers) are counted once.
* Attention weights, projection matrices only (norms, convolutions and per-head vectors left
  out), from the dimensions the cards and configurations state:
  - DeepSeek-V3 MLA, 61 layers, hidden 7168, 128 heads, q_lora 1536, kv_lora 512, no-RoPE
    and RoPE query/key dims 128 and 64, value dim 128:
    7168*1536 + 1536*128*192 + 7168*(512+64) + 512*128*(128+128) + 128*128*7168 per layer.
  - Qwen3.5, hidden 4096: 15 gated-attention layers with 32 query heads of 256 (the query
    projection is doubled for the output gate) and 2 key/value heads of 256,
    4096*(2*32*256 + 2*2*256) + 32*256*4096; 45 Gated DeltaNet layers with 16 query/key and
    64 value heads of 128, 4096*(2*16*128 + 2*64*128) + 4096*2*64 + 64*128*4096 (layer
    shapes as in vLLM 0.33.0's qwen3_next.py and qwen_gdn_linear_attn.py).
  The sensitivity line prints the cache under TP=8 for all three instead, where vLLM
  replicates a key/value head (or the single MLA latent) on every GPU that needs it, and no
  attention weight is copied.

Memory (left panel)
* Usable memory per GPU is the memory nvidia-smi reports (H100 80GB: 81,559 MiB; H200:
  143,771 MiB) times vLLM's default `gpu_memory_utilization` of 0.92 (vLLM 0.33.0,
  vllm/config/cache.py): 629.4 GB per H100 node, as on the mixture-of-experts page.
  Activations, which also come out of that budget, are ignored.
* Weights: every parameter at 1 byte (FP8), or at 0.5625 bytes (NVFP4: 4-bit values plus one
  FP8 scale per 16), plus the 7 extra copies of the attention weights under DP attention.
* KV cache in BF16 (2 bytes per value; the sensitivity line uses FP8, 1 byte), 32 concurrent
  sequences of 32,768 tokens.
  - Llama 3.1 405B: 126 layers, 8 key/value heads of dimension 128: 2 * 8 * 128 * 126 values.
  - DeepSeek-V3: 61 layers of MLA caching a 512-dim latent plus a 64-dim rotary key: 576 * 61.
  - Qwen3.5: 15 gated-attention layers with 2 key/value heads of dimension 256:
    2 * 2 * 256 * 15 values; plus the fixed Gated DeltaNet state of its 45 other layers,
    64 value heads of 128 x 128 values each, per sequence (BF16 in both cases).

Bytes read and time per generated token (right panel), decode at batch B = 32
* Weights read per step: all of them for the dense model; for an MoE model, the non-routed
  parameters n, the 7 extra attention copies, and the expected fraction 1 - (1 - k/E)^B of
  the E routed experts (uniform, independent routing, as in
  figures/src/mixture_of_experts_coverage.py). The size p of one routed expert (summed over
  layers) and n are solved from the card's total and active counts: total = n + E p and
  active = n + k p (shared experts are part of n).
* Cache read per token: the cache of one sequence at 32,768 tokens of context (the end of the
  sequence; the average over a sequence is half), plus reading and writing the DeltaNet state.
* Compute per token: 2 FLOP per active parameter, plus attention at 32,768 tokens of context,
  2 FLOP per multiply-add of QK^T and of the value sum: 4 * heads * head_dim * layers * context
  for Llama (128 query heads of 128) and Qwen3.5 (32 query heads of 256 in 15 layers); for
  DeepSeek-V3's 128 heads, 2 * (576 + 512) per head, layer and cached token in the weight-
  absorbed form used for decode, or 2 * (192 + 128) if keys and values are decompressed.
* Time: a roofline per operation, as on the site's measurements page: linear layers take
  max(FLOPs / peak, weight bytes / bandwidth) and attention max(FLOPs / peak, cache bytes /
  bandwidth), summed, per GPU with the work spread evenly over 8 H200s (989 dense BF16
  TFLOP/s, 4.8 TB/s each, ridge 206 FLOP/byte). Weight-absorbed MLA decode does 242 FLOP per
  byte of BF16 cache, so DeepSeek-V3's attention is compute-bound. The measured ratio of a
  real decode step to this floor (1.17-1.35 on one H100, measurements section 3) turns the
  floor into a tokens/s range.
"""

from __future__ import annotations

from _style import new_figure, save

GB = 1e9
MIB = 2**20
SEQS, TOKENS, BATCH, GPUS = 32, 32_768, 32, 8
FP8_BYTES, FP4_BYTES = 1.0, 0.5625
BUDGET = 0.92  # vLLM 0.33.0 default gpu_memory_utilization
NODES = {
    "8 x H100 80GB": GPUS * 81_559 * MIB * BUDGET / GB,
    "8 x H200": GPUS * 143_771 * MIB * BUDGET / GB,
}
H200_BW = 4.8e12  # bytes/s per GPU, datasheet
H200_PEAK = 989e12  # dense BF16 FLOP/s per GPU, datasheet (same as H100 SXM)
MEASURED = (1.17, 1.35)  # measured decode step / roofline floor, one H100 SXM

GDN_STATE = 45 * 64 * 128 * 128  # Qwen3.5 Gated DeltaNet state values per sequence

MLA_LAYER = (7168 * 1536 + 1536 * 128 * 192 + 7168 * (512 + 64)
             + 512 * 128 * (128 + 128) + 128 * 128 * 7168)
QWEN_GATED = 4096 * (2 * 32 * 256 + 2 * 2 * 256) + 32 * 256 * 4096
QWEN_GDN = (4096 * (2 * 16 * 128 + 2 * 64 * 128) + 4096 * 2 * 64
            + 64 * 128 * 4096)
ATTN_PARAMS = {
    "DeepSeek-V3": 61 * MLA_LAYER,
    "Qwen3.5-397B-A17B": 15 * QWEN_GATED + 45 * QWEN_GDN,
}


def coverage(batch: int, experts: int, top_k: int) -> float:
    return 1.0 - (1.0 - top_k / experts) ** batch


# name, total, active, (experts, top-k) or None, KV values per token, replication under
# TP=8, fixed state values per sequence, attention FLOP per cached token (and alternative)
MODELS = [
    ("Llama 3.1 405B", 405e9, 405e9, None, 2 * 8 * 128 * 126, 1, 0,
     4 * 128 * 128 * 126, None),
    ("DeepSeek-V3", 671e9, 37e9, (256, 8), (512 + 64) * 61, 8, 0,
     2 * (576 + 512) * 128 * 61, 2 * (192 + 128) * 128 * 61),
    ("Qwen3.5-397B-A17B", 397e9, 17e9, (512, 10), 2 * 2 * 256 * 15, 4, GDN_STATE,
     4 * 32 * 256 * 15, None),
]


def step_bytes_per_token(m, kv_bytes: float) -> tuple[float, float, float, float]:
    """Weight, attention-copy and cache bytes read per token at BATCH, and the step floor."""
    name, total, active, moe, kv_vals, _rep, state_vals, attn, _alt = m
    copies = (GPUS - 1) * ATTN_PARAMS.get(name, 0.0)
    if moe is None:
        w_step = total
    else:
        experts, top_k = moe
        p = (total - active) / (experts - top_k)
        n = active - top_k * p
        w_step = n + coverage(BATCH, experts, top_k) * experts * p
    w_tok = w_step * FP8_BYTES / BATCH / GB
    c_tok = copies * FP8_BYTES / BATCH / GB
    kv_tok = (kv_vals * kv_bytes * TOKENS + 2 * state_vals * 2) / GB
    # per-operation roofline per GPU, the step's work spread over GPUS
    lin = max(2 * active * BATCH / GPUS / H200_PEAK,
              (w_tok + c_tok) * GB * BATCH / GPUS / H200_BW)
    att = max(attn * TOKENS * BATCH / GPUS / H200_PEAK,
              kv_tok * GB * BATCH / GPUS / H200_BW)
    return w_tok, c_tok, kv_tok, (lin + att) * 1e3


def main() -> None:
    fig, (ax_mem, ax_tok) = new_figure(width=9.6, height=4.4, ncols=2)
    print(f"attention parameters: DeepSeek-V3 MLA {ATTN_PARAMS['DeepSeek-V3'] / 1e9:.2f}B, "
          f"Qwen3.5 {ATTN_PARAMS['Qwen3.5-397B-A17B'] / 1e9:.2f}B; "
          f"H200 ridge {H200_PEAK / H200_BW:.0f} FLOP/byte")
    rows = []
    for m in MODELS:
        name, total, active, moe, kv_vals, tp_rep, state_vals, attn, attn_alt = m
        kv_tok = kv_vals * 2
        state = state_vals * 2
        cache = (kv_tok * TOKENS + state) * SEQS / GB
        cache8 = (kv_vals * TOKENS + state) * SEQS / GB
        cache_tp = (kv_tok * TOKENS * tp_rep + state) * SEQS / GB
        extra = (GPUS - 1) * ATTN_PARAMS.get(name, 0.0)
        w8 = (total + extra) * FP8_BYTES / GB
        w4 = (total + extra) * FP4_BYTES / GB
        print(f"{name}: KV {kv_tok:,d} B/token = {kv_tok / 1e3:.1f} kB; "
              f"state {state / 1e6:.1f} MB/seq; cache for {SEQS}x{TOKENS:,} = {cache:.1f} GB "
              f"(FP8 KV {cache8:.1f} GB; TP=8 {cache_tp:.1f} GB); weights with "
              f"{extra / 1e9:.1f}B copied attention: FP8 {w8:.1f} GB, 4-bit {w4:.1f} GB")
        for node, cap in NODES.items():
            for label, w in (("FP8", w8), ("4-bit", w4)):
                spare = cap - w
                fits = "fits" if w + cache <= cap else "does not fit"
                seqs = max(spare, 0) * GB / (kv_tok * TOKENS + state)
                seqs8 = max(spare, 0) * GB / (kv_vals * TOKENS + state)
                print(f"    {node} ({cap:.1f} GB usable), {label}: {w + cache:.0f} GB, "
                      f"{fits}; {spare:.0f} GB beside the weights = {seqs:.1f} sequences "
                      f"({seqs8:.1f} with FP8 KV)")
        if moe is not None:
            experts, top_k = moe
            p = (total - active) / (experts - top_k)
            n = active - top_k * p
            print(f"    routed expert {p / 1e9:.3f}B, non-routed {n / 1e9:.2f}B; batch "
                  f"{BATCH} touches {coverage(BATCH, experts, top_k):.1%} of experts")
            if name.startswith("DeepSeek"):
                for b in range(1, 257):
                    if n + extra + coverage(b, experts, top_k) * experts * p > 405e9:
                        print(f"    weights read per step, copies included, exceed dense "
                              f"Llama 3.1 405B's from batch {b}")
                        break
        w_tok, c_tok, kv_read, floor = step_bytes_per_token(m, 2)
        w8t, c8t, kv8, floor8 = step_bytes_per_token(m, 1)
        flop_param = 2 * active / 1e9
        flop_attn = attn * TOKENS / 1e9
        alt = f" (decompressed: {attn_alt * TOKENS / 1e9:.0f})" if attn_alt else ""
        cache_bytes = kv_vals * 2
        print(f"    per token at batch {BATCH}: weights {w_tok:.2f} + attention copies "
              f"{c_tok:.2f} + cache {kv_read:.2f} GB = {w_tok + c_tok + kv_read:.1f} GB "
              f"(FP8 KV: {w8t + c8t + kv8:.1f} GB); compute {flop_param:.0f} + attention "
              f"{flop_attn:.0f}{alt} = {flop_param + flop_attn:.0f} GFLOP")
        print(f"    attention {attn / cache_bytes:.0f} FLOP per cache byte (FP8 KV "
              f"{attn / kv_vals:.0f}); 8 x H200 per-operation floor {floor:.1f} ms "
              f"(bytes alone {(w_tok + c_tok + kv_read) * GB * BATCH / GPUS / H200_BW * 1e3:.1f}"
              f" ms; FP8 KV {floor8:.1f} ms); at the measured 1.17-1.35x "
              f"{BATCH / (floor * MEASURED[1] / 1e3):,.0f}-"
              f"{BATCH / (floor * MEASURED[0] / 1e3):,.0f} tokens/s")
        rows.append((name, w8 - extra * FP8_BYTES / GB, w4 - extra * FP4_BYTES / GB,
                     extra * FP8_BYTES / GB, extra * FP4_BYTES / GB, cache,
                     w_tok, c_tok, kv_read, flop_param + flop_attn))

    ticks, labels = [], []
    for i, (name, w8, w4, x8, x4, cache, *_rest) in enumerate(rows):
        y = 3 * (len(rows) - 1 - i)
        for j, (w, x, tag) in enumerate(((w8, x8, "FP8"), (w4, x4, "4-bit"))):
            yy = y + 0.5 - j
            ax_mem.barh(yy, w, height=0.9, color="C0" if j == 0 else "C5",
                        label=("weights, FP8" if j == 0 else "weights, 4-bit")
                        if i == 0 else None)
            ax_mem.barh(yy, x, left=w, height=0.9, color="C2",
                        label="attention copies" if i == 1 and j == 0 else None)
            ax_mem.barh(yy, cache, left=w + x, height=0.9, color="C1",
                        label="cache, 32 x 32,768" if i == 0 and j == 0 else None)
            ax_mem.text(w + x + cache + 15, yy, tag, va="center", fontsize=8)
        ticks.append(y)
        labels.append(name)
    for (node, cap), style in zip(NODES.items(), ("--", ":"), strict=True):
        ax_mem.axvline(cap, color="0.3", linestyle=style, linewidth=1)
        ax_mem.text(cap + 10, -1.1, f"{node}\n{cap:,.0f} GB", fontsize=7.5, color="0.3",
                    va="bottom")
    ax_mem.set_yticks(ticks)
    ax_mem.set_yticklabels(labels, fontsize=9)
    ax_mem.set_xlim(0, 1450)
    ax_mem.set_ylim(-1.2, 7.0)
    ax_mem.set_xlabel("memory (GB)")
    ax_mem.set_title("Memory on one node", fontsize=11)
    ax_mem.legend(fontsize=7.5, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, -0.16), ncol=2)

    for i, row in enumerate(rows):
        w_tok, c_tok, kv_read, gflop = row[6:]
        y = len(rows) - 1 - i
        ax_tok.barh(y, w_tok, color="C0", label="weights read / 32" if i == 0 else None)
        ax_tok.barh(y, c_tok, left=w_tok, color="C2",
                    label="attention copies / 32" if i == 1 else None)
        ax_tok.barh(y, kv_read, left=w_tok + c_tok, color="C1",
                    label="own cache and state" if i == 0 else None)
        total = w_tok + c_tok + kv_read
        ax_tok.text(total + 0.5, y, f"{total:.1f} GB\n{gflop:,.0f} GFLOP", va="center",
                    fontsize=8)
    ax_tok.set_yticks(range(len(rows)))
    ax_tok.set_yticklabels([r[0] for r in reversed(rows)], fontsize=9)
    ax_tok.set_xlim(0, 40)
    ax_tok.set_xlabel("GB read per generated token (FP8 weights)")
    ax_tok.set_title("Per token, batch 32, at 32,768 tokens", fontsize=11)
    ax_tok.legend(fontsize=7.5, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, -0.16), ncol=2)
    save(fig, "open-weights-landscape-serving", phone=phone_layout)


def phone_layout(fig) -> None:
    """Phone layout: model names on two lines, node labels shortened, legends lower and in one column."""
    fig.set_size_inches(4.0, 7.8)
    for ax in fig.axes:
        ax.set_yticks(ax.get_yticks(), [t.get_text().replace(" 405B", "\n405B").replace("-A17B", "\n-A17B")
                                        for t in ax.get_yticklabels()], fontsize=9)
        ax.legend(fontsize=7.5, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)
    fig.axes[0].set_xticks([0, 500, 1000])
    fig.axes[1].set_xlabel("GB read per token (FP8 weights)")
    for text in fig.axes[0].texts:
        text.set_text(text.get_text().replace("H100 80GB", "H100"))


if __name__ == "__main__":
    main()
