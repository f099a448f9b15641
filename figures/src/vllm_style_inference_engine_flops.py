"""Arithmetic cost of greedy generation with and without a KV cache for the tiny decoder
of the series page `docs/series/vllm-style-inference-engine.md`.

The configuration and the generation loop mirror the page's listings: 2 layers, d_model 64,
4 heads, d_ff 128, vocabulary 128, tied output head applied at every position, a 6-token
prompt, and one forward call per generated token. A multiply-add counts as 2 FLOPs; norms,
RoPE, softmax and the SwiGLU product are left out (they are small next to the matmuls).
"""

from _style import new_figure, save

D, D_FF, LAYERS, VOCAB, PROMPT = 64, 128, 2, 128, 6


def forward_flops(t: int, context: int) -> int:
    """FLOPs of one forward call over t new tokens that attend to `context` keys."""
    linear = 2 * t * (D * 3 * D + D * D + D * 2 * D_FF + D_FF * D)  # qkv, out, gate_up, down
    attention = 2 * 2 * t * context * D  # Q K^T and P V, full t x context (masked) scores
    head = 2 * t * D * VOCAB
    return LAYERS * (linear + attention) + head


def generation_flops(n_new: int, cached: bool) -> int:
    total = forward_flops(PROMPT, PROMPT)  # prefill, identical in both modes
    for step in range(1, n_new + 1):
        length = PROMPT + step
        total += forward_flops(1, length) if cached else forward_flops(length, length)
    return total


lengths = list(range(8, 513, 8))
cached = [generation_flops(n, True) / 1e6 for n in lengths]
uncached = [generation_flops(n, False) / 1e6 for n in lengths]

for n in (32, 128, 256, 512):
    c, u = generation_flops(n, True), generation_flops(n, False)
    print(f"{n:>4} new tokens: cached {c / 1e6:8.1f} MFLOP, uncached {u / 1e6:9.1f} MFLOP, ratio {u / c:5.1f}")

fig, ax = new_figure(7.0, 4.0)
ax.plot(lengths, uncached, label="uncached (recompute the prefix every step)")
ax.plot(lengths, cached, label="cached (one new token per step)")
ax.set_xlabel("generated tokens")
ax.set_ylabel("total work (MFLOP)")
ax.set_yscale("log")
ax.set_title("Tiny decoder: FLOPs to generate n tokens after a 6-token prompt")
ax.legend()
save(fig, "vllm-style-inference-engine-flops")
