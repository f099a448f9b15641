"""Arithmetic cost of greedy generation with and without a KV cache for the tiny decoder
of the series page `docs/series/vllm-style-inference-engine.md`.

The configuration and the generation loop mirror the page's listings: 2 layers, d_model 64,
4 heads, d_ff 128, vocabulary 128, tied output head applied at every position, a 6-token
prompt, and one forward call per generated token. A multiply-add counts as 2 FLOPs; norms,
RoPE, softmax and the SwiGLU product are left out (they are small next to the matmuls).

Modelling choice for attention: by default every score of the t x context matrix is
counted, masked or not, which is what the page's listing computes (PyTorch's
scaled_dot_product_attention with an explicit mask). A causal kernel that skips the
masked scores does about half of that work in the uncached model; `skip_masked=True`
counts only the unmasked scores, as a sensitivity check (the dashed curve).
"""

from _style import new_figure, save

D, D_FF, LAYERS, VOCAB, PROMPT = 64, 128, 2, 128, 6
LINEAR_PER_TOKEN = 2 * (D * 3 * D + D * D + D * 2 * D_FF + D_FF * D)  # qkv, out, gate_up, down


def forward_flops(t: int, context: int, skip_masked: bool = False, part: str = "all") -> int:
    """FLOPs of one forward call over t new tokens, the last t of `context` positions."""
    linear = t * LINEAR_PER_TOKEN
    # Q K^T and P V: 2 FLOPs per multiply-add, D per score, two products.
    scores = t * context - t * (t - 1) // 2 if skip_masked else t * context
    attention = 2 * 2 * scores * D
    head = 2 * t * D * VOCAB
    if part == "attention":
        return LAYERS * attention
    return LAYERS * (linear + attention) + head


def generation_flops(n_new: int, cached: bool, skip_masked: bool = False,
                     part: str = "all") -> int:
    total = forward_flops(PROMPT, PROMPT, skip_masked, part)  # prefill, same in both modes
    for step in range(1, n_new + 1):
        length = PROMPT + step
        t = 1 if cached else length
        total += forward_flops(t, length, skip_masked, part)
    return total


# Per layer, one uncached step over t tokens costs t * LINEAR_PER_TOKEN in the linear
# layers and 4 * t^2 * D in attention (full scores): equal at this t.
print(f"per-layer crossover: t = {LINEAR_PER_TOKEN / (4 * D):.0f} with full scores, "
      f"{LINEAR_PER_TOKEN / (2 * D):.0f} with masked scores skipped")
for n in (32, 128, 256, 512):
    c, u = generation_flops(n, True), generation_flops(n, False)
    us = generation_flops(n, False, skip_masked=True)
    cs = generation_flops(n, True, skip_masked=True)
    share = generation_flops(n, False, part="attention") / u
    print(f"{n:>4} new tokens: cached {c / 1e6:8.1f} MFLOP, uncached {u / 1e6:9.1f} MFLOP, "
          f"ratio {u / c:5.1f}, attention {share:5.1%} of uncached; masked skipped: "
          f"uncached {us / 1e6:9.1f}, ratio {us / cs:5.1f}")
last = PROMPT + 512  # the uncached model's last step when generating 512 tokens
print(f"last step of 512 (t = {last}): attention is "
      f"{forward_flops(last, last, part='attention') / forward_flops(last, last):.1%} of its FLOPs")
u256, u512 = generation_flops(256, False), generation_flops(512, False)
print(f"uncached total grows {u512 / u256:.2f}x from 256 to 512 tokens "
      f"(an n^2 law gives 4x, n^3 gives 8x)")



def phone_layout(fig) -> None:
    """Phone layout: a two-line title and the legend below the plot in one column."""
    ax = fig.axes[0]
    ax.set_title("Tiny decoder: FLOPs to generate n tokens\nafter a 6-token prompt", fontsize=10.5)
    ax.set_xlabel(ax.get_xlabel(), fontsize=9.5)
    ax.set_ylabel(ax.get_ylabel(), fontsize=9.5)
    ax.tick_params(labelsize=10.5)  # math tick labels: superscripts at 70% stay above 7.3 pt
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    fig.set_size_inches(4.0, 4.3)
    fig.legend(handles, labels, loc="outside lower center", ncol=1, fontsize=8, frameon=False)


lengths = list(range(8, 513, 8))
cached = [generation_flops(n, True) / 1e6 for n in lengths]
uncached = [generation_flops(n, False) / 1e6 for n in lengths]
uncached_skip = [generation_flops(n, False, skip_masked=True) / 1e6 for n in lengths]

fig, ax = new_figure(7.0, 4.0)
ax.plot(lengths, uncached, label="uncached, all scores counted (as the listing computes)")
ax.plot(lengths, uncached_skip, linestyle="--", color="#0072B2",
        label="uncached, masked scores skipped (causal kernel)")
ax.plot(lengths, cached, color="#D55E00", label="cached (one new token per step)")
ax.set_xlabel("generated tokens")
ax.set_ylabel("total work (MFLOP)")
ax.set_yscale("log")
ax.set_title("Tiny decoder: FLOPs to generate n tokens after a 6-token prompt")
ax.legend()
save(fig, "vllm-style-inference-engine-flops", phone=phone_layout)
