"""Expected tokens per step and wall-clock speedup of speculative decoding.

Closed-form model of Leviathan et al. (2023): with an i.i.d. per-token acceptance
rate alpha and draft length gamma, one draft-then-verify step emits
E = (1 - alpha**(gamma + 1)) / (1 - alpha) tokens, and costs gamma * c + 1 target
forward passes, where c is the draft-to-target cost ratio. The cost ratio used in
panel (b) is derived from weight bytes and HBM bandwidth (stated below), as in the
article's worked example. A decode step is charged for the weights it multiplies by:
the target's untied input embedding is a lookup of one row per token, so it is stored
but not streamed; the draft's tied table is streamed in full as its output head.
Panel (b) also shows the alpha = 0.8 curve with the draft's cost ratio doubled, the
most uncertain input, and a block drafter that proposes all gamma tokens in one pass
(DFlash-style): its step costs c_b + v(gamma + 1), one draft pass plus the measured
cost of verifying gamma + 1 tokens, instead of gamma * c + 1. The script prints how the
worked example moves when the cost ratio, the verification cost and the per-position
acceptance move, and the accepted-over-drafted rate that engines report.

Writes figures/speculative-decoding-tokens-per-step.svg and prints the numbers that
the article quotes.
"""

from __future__ import annotations

import numpy as np

from _style import PALETTE, new_figure, save

# --- Stated inputs -------------------------------------------------------------
HBM_BW = 3.35e12  # bytes/s, H100 SXM HBM3 (NVIDIA H100 datasheet)
BYTES_PER_PARAM = 2  # BF16 weights


def llama_params(vocab, d, layers, heads, kv_heads, head_dim, ffn, tied):
    """Parameter count of a Llama-style decoder (norm weights included)."""
    attn = d * heads * head_dim + 2 * d * kv_heads * head_dim + heads * head_dim * d
    mlp = 3 * d * ffn
    norms = 2 * d
    emb = vocab * d * (1 if tied else 2)
    return layers * (attn + mlp + norms) + emb + d


# Llama 3.1 8B (layer shapes: Llama 3 paper, Table 3; vocabulary 128,256: released
# config.json) and Llama 3.2 1B (released config).
VOCAB, D_TARGET = 128256, 4096
P_TARGET_STORED = llama_params(VOCAB, D_TARGET, 32, 32, 8, 128, 14336, tied=False)  # in HBM
P_TARGET = P_TARGET_STORED - VOCAB * D_TARGET  # read per decode step: no input embedding
P_DRAFT = llama_params(VOCAB, 2048, 16, 32, 8, 64, 8192, tied=True)  # tied: all of it is read

# Measured on one H100 SXM, 2026-11-28 (site measurements page, #draft-verification):
# one forward pass over k query tokens of a Llama-3-8B-shaped model at 1,024 tokens of
# context, in ms; divided by the one-token step it is the verification cost v(k).
VERIFY_MS = {1: 6.03, 2: 6.38, 4: 6.39, 8: 6.51, 16: 6.54, 32: 6.55}
VERIFY_MEASURED = {k: VERIFY_MS[k] / VERIFY_MS[1] for k in (4, 8)}


def expected_tokens(alpha, gamma):
    alpha = np.asarray(alpha, dtype=float)
    return np.where(alpha < 1.0, (1 - alpha ** (gamma + 1)) / (1 - alpha + 1e-300), gamma + 1.0)


def speedup(alpha, gamma, c, verify=1.0):
    """Tokens per step over step time, in units of one plain decoding step."""
    return expected_tokens(alpha, gamma) / (gamma * c + verify)


def verify_cost(k):
    """Measured cost of scoring k tokens in one pass, in one-token steps (linear between points)."""
    ks = np.array(sorted(VERIFY_MS), dtype=float)
    return np.interp(k, ks, [VERIFY_MS[int(x)] for x in ks]) / VERIFY_MS[1]


def speedup_block(alpha, gamma, c_block):
    """Block drafter: one draft pass proposes gamma tokens; the target verifies gamma + 1."""
    return expected_tokens(alpha, gamma) / (c_block + verify_cost(np.asarray(gamma) + 1))


def reported_rate(alpha, gamma):
    """Accepted over drafted tokens, the rate engines report, under the i.i.d. model."""
    return float(sum(alpha**j for j in range(1, gamma + 1))) / gamma


def expected_tokens_by_position(alphas):
    """Expected tokens per step when draft position i is accepted with probability alphas[i]."""
    return 1.0 + float(np.sum(np.cumprod(alphas)))


def main() -> None:
    t_target = P_TARGET * BYTES_PER_PARAM / HBM_BW
    t_draft = P_DRAFT * BYTES_PER_PARAM / HBM_BW
    c = t_draft / t_target
    print(f"target params      {P_TARGET_STORED / 1e9:.3f} B stored ({P_TARGET_STORED * 2 / 1e9:.2f} GB)")
    print(f"target per step    {P_TARGET / 1e9:.3f} B  -> {P_TARGET * 2 / 1e9:.2f} GB, {t_target * 1e3:.2f} ms/pass, {1 / t_target:.0f} tok/s")
    print(f"draft params       {P_DRAFT / 1e9:.3f} B  -> {P_DRAFT * 2 / 1e9:.2f} GB, {t_draft * 1e3:.3f} ms/pass")
    print(f"cost ratio c       {c:.3f}")

    for a in (0.6, 0.7, 0.8, 0.9):
        row = " ".join(f"g={g}:{float(expected_tokens(a, g)):.2f}" for g in (1, 2, 4, 8))
        print(f"E[tokens] alpha={a}: {row}  limit {1 / (1 - a):.1f}")

    gammas = np.arange(1, 17)
    for a in (0.6, 0.7, 0.8, 0.9):
        s = speedup(a, gammas, c)
        g_best = int(gammas[np.argmax(s)])
        print(f"alpha={a}: best gamma={g_best} speedup={s.max():.2f}  (gamma=4: {float(speedup(a, 4, c)):.2f})")

    # Worked example: alpha = 0.8, gamma = 4
    a, g = 0.8, 4
    e = float(expected_tokens(a, g))
    step = g * t_draft + t_target
    print(f"worked: E={e:.3f} step={step * 1e3:.2f} ms per-token={step / e * 1e3:.2f} ms vs {t_target * 1e3:.2f} ms -> {t_target * e / step:.2f}x")
    # Break-even acceptance rate for gamma = 1 is alpha = c.
    print(f"break-even alpha at gamma=1: {c:.3f}")

    # Sensitivity of the worked example.
    for k, v in VERIFY_MEASURED.items():
        print(f"measured verify cost k={k}: {v:.2f}x -> speedup {float(speedup(a, g, c, v)):.2f}")
    for cc in (c, 2 * c, 0.5):
        s_g = speedup(a, gammas, cc)
        print(f"c={cc:.3f}: gamma=4 speedup {float(speedup(a, g, cc)):.2f}; best gamma={int(gammas[np.argmax(s_g)])} speedup={s_g.max():.2f}")
    print(f"c at which gamma=4, alpha=0.8 breaks even: {(e - 1) / g:.2f}")
    grid = np.linspace(0.0, 0.99, 9901)
    print(f"alpha below which gamma=4 loses at c={c:.3f}: {grid[np.argmax(speedup(grid, g, c) >= 1.0)]:.2f}")
    # Acceptance that falls with draft position, against the i.i.d. model.
    falling = 0.8 - 0.05 * np.arange(8)
    for gg in (4, 8):
        e_fall = expected_tokens_by_position(falling[:gg])
        print(
            f"falling acceptance {np.round(falling[:gg], 2).tolist()}: E={e_fall:.2f} vs i.i.d. {float(expected_tokens(a, gg)):.2f};"
            f" speedup {e_fall / (gg * c + 1):.2f} vs i.i.d. {float(speedup(a, gg, c)):.2f}"
        )

    # What engines report: accepted / drafted, which falls with gamma even at constant alpha.
    print("reported acceptance rate at alpha=0.8: " + " ".join(f"g={gg}:{reported_rate(a, gg):.2f}" for gg in (1, 4, 8)))
    print(f"plugging the g=4 rate in as alpha: E={float(expected_tokens(reported_rate(a, 4), 4)):.2f} vs {e:.2f}")

    # Block drafter: all gamma drafts in one pass costing c (one pass of the 1B draft).
    s_blk = speedup_block(a, gammas, c)
    print(
        f"block drafter c_b={c:.3f}, alpha=0.8: gamma=15: E={float(expected_tokens(a, 15)):.2f}"
        f" v={float(verify_cost(16)):.3f} speedup {float(speedup_block(a, 15, c)):.2f};"
        f" best gamma={int(gammas[np.argmax(s_blk)])} speedup={s_blk.max():.2f}"
    )
    falling16 = np.clip(0.8 - 0.05 * np.arange(16), 0.0, 1.0)
    s_blk_fall = [expected_tokens_by_position(falling16[:gg]) / (c + float(verify_cost(gg + 1))) for gg in gammas]
    s_ar_fall = [expected_tokens_by_position(falling16[:gg]) / (gg * c + 1) for gg in gammas]
    print(
        f"falling acceptance, block drafter: best gamma={int(gammas[np.argmax(s_blk_fall)])}"
        f" speedup={max(s_blk_fall):.2f} (gamma=15: {s_blk_fall[14]:.2f});"
        f" autoregressive: best gamma={int(gammas[np.argmax(s_ar_fall)])} speedup={max(s_ar_fall):.2f}"
    )

    fig, (ax1, ax2) = new_figure(width=10.0, height=4.0, ncols=2)
    alphas = np.linspace(0.0, 0.95, 200)
    for g in (1, 2, 4, 8):
        ax1.plot(alphas, expected_tokens(alphas, g), label=f"$\\gamma$ = {g}")
    ax1.plot(alphas, 1 / (1 - alphas), color="0.4", linestyle=":", label="$\\gamma \\to \\infty$")
    ax1.set_ylim(0.9, 10)
    ax1.set_xlabel("acceptance rate $\\alpha$")
    ax1.set_ylabel("expected tokens per target pass")
    ax1.set_title("(a) tokens per step")
    ax1.legend(loc="upper left", frameon=False)

    for a in (0.6, 0.7, 0.8, 0.9):
        ax2.plot(gammas, speedup(a, gammas, c), marker="o", markersize=3, label=f"$\\alpha$ = {a}")
    ax2.plot(gammas, speedup(0.8, gammas, 2 * c), color=PALETTE[2], linestyle="--", label=f"$\\alpha$ = 0.8, c = {2 * c:.2f}")
    ax2.plot(gammas, s_blk, color=PALETTE[6], linestyle="-.", label="$\\alpha$ = 0.8, block drafter")
    ax2.axhline(1.0, color="0.4", linewidth=0.8)
    ax2.set_xlabel("draft length $\\gamma$")
    ax2.set_ylabel("speedup over plain decoding")
    ax2.set_title(f"(b) wall-clock speedup, c = {c:.3f}")
    ax2.set_ylim(0.6, 4.8)
    ax2.legend(loc="upper left", frameon=False, ncols=2, fontsize=9)
    save(fig, "speculative-decoding-tokens-per-step")


if __name__ == "__main__":
    main()
