"""RoPE wavelengths and how context-extension methods rescale each frequency.

RoPE rotates dimension pair i of a head of size d at angle m * theta_i for position m,
theta_i = base**(-2i/d). Inputs: d = 128 and base = 500,000, trained context 8,192
and scale factor s = 8 (the Llama 3.1 8B configuration: rope_theta 500000,
rope_scaling factor 8, low_freq_factor 1, high_freq_factor 4,
original_max_position_embeddings 8192). The same configuration serves
max_position_embeddings 131,072 = 16 x 8,192: the scale factor is not the length ratio.
Dividing a slow pair's frequency by s keeps its angles inside the pre-training range
only up to s x 8,192 = 65,536 tokens; long-context pre-training covers the rest.

Methods, as multipliers on theta_i:
  position interpolation (Chen et al., 2023): 1/s for every pair
  NTK-aware: base' = base * s**(d/(d-2)), so theta'_i/theta_i = s**(-2i/(d-2))
  YaRN (Peng et al., 2023): ramp on r = L / lambda_i with alpha = 1, beta = 32;
      pairs with r > beta keep theta, pairs with r < alpha use theta/s, linear in between;
      plus a temperature: queries and keys are each scaled by sqrt(1/t) = 0.1 ln s + 1
  Llama 3: wavelengths below L/high_freq_factor keep theta, above L/low_freq_factor use
      theta/s, smooth interpolation in between

Writes figures/context-window-scaling-rope.svg and prints the quoted numbers.
"""

from __future__ import annotations

import numpy as np

from _style import new_figure, save

D, BASE, L_TRAIN, S = 128, 500_000.0, 8192, 8.0
L_SERVED = 131_072
i = np.arange(D // 2)
theta = BASE ** (-2 * i / D)
wavelength = 2 * np.pi / theta


def pi_scale():
    return np.full_like(theta, 1 / S)


def ntk_scale():
    return S ** (-2 * i / (D - 2))


def yarn_scale(alpha=1.0, beta=32.0):
    r = L_TRAIN / wavelength
    ramp = np.clip((r - alpha) / (beta - alpha), 0.0, 1.0)
    return (1 - ramp) / S + ramp


def llama3_scale(low=1.0, high=4.0):
    smooth = np.clip((L_TRAIN / wavelength - low) / (high - low), 0.0, 1.0)
    return (1 - smooth) / S + smooth


def main() -> None:
    print(f"wavelength range: {wavelength[0]:.2f} to {wavelength[-1]:,.0f} tokens")
    print(f"pairs with wavelength > trained context {L_TRAIN}: {(wavelength > L_TRAIN).sum()} of {D // 2} (from pair {np.argmax(wavelength > L_TRAIN)})")
    for name, f in (("PI", pi_scale), ("NTK", ntk_scale), ("YaRN", yarn_scale), ("Llama3", llama3_scale)):
        sc = f()
        print(
            f"{name:6s}: pair0 x{sc[0]:.3f}, pair16 x{sc[16]:.3f}, pair32 x{sc[32]:.3f}, last x{sc[-1]:.4f}; "
            f"unchanged pairs {(sc > 0.999).sum()}, fully interpolated {(sc < 1 / S + 1e-9).sum()}"
        )
    for length in (int(L_TRAIN * S), L_SERVED):
        print(f"pairs with wavelength > {length:,}: {(wavelength > length).sum()} (from pair {np.argmax(wavelength > length)})")
    # Largest angle a fully interpolated pair reaches at the served length, relative to
    # the largest angle it reached in pre-training (8,192 tokens, no scaling):
    print(f"angle range at {L_SERVED:,} tokens with s = {S:.0f}: {L_SERVED / S / L_TRAIN:.1f}x the pre-training range")
    # Smallest angle step between adjacent positions for the fastest pair under PI:
    print(f"fastest pair angle per token: {theta[0]:.3f} rad native, {theta[0] / S:.3f} rad under PI")
    # YaRN divides the logits by t and applies it by scaling both queries and keys (through
    # the RoPE cos/sin tables) by sqrt(1/t), so the logits are multiplied by 1/t, the square.
    m = 0.1 * np.log(S) + 1
    print(f"YaRN temperature: queries and keys each x sqrt(1/t) = {m:.3f}; logits x 1/t = {m * m:.3f}")

    fig, (ax1, ax2) = new_figure(width=10.0, height=4.2, ncols=2)
    ax1.semilogy(i, wavelength, color="0.2")
    ax1.axhline(L_TRAIN, color="#D55E00", linestyle="--", linewidth=0.9)
    ax1.axhline(L_TRAIN * S, color="#009E73", linestyle=":", linewidth=0.9)
    ax1.axhline(L_SERVED, color="#009E73", linestyle="--", linewidth=0.9)
    ax1.annotate(f"pre-training context {L_TRAIN:,}", (1, L_TRAIN), xytext=(0, 4), textcoords="offset points", fontsize=9)
    ax1.annotate(f"s x 8,192 = {int(L_TRAIN * S):,}", (1, L_TRAIN * S), xytext=(0, -11), textcoords="offset points", fontsize=9)
    ax1.annotate(f"served context {L_SERVED:,}", (1, L_SERVED), xytext=(0, 4), textcoords="offset points", fontsize=9)
    ax1.set_xlabel("dimension pair i (head size 128)")
    ax1.set_ylabel("wavelength $2\\pi/\\theta_i$ (tokens)")
    ax1.set_title("(a) RoPE wavelengths, base 500,000")

    ax2.plot(i, pi_scale(), label="position interpolation")
    ax2.plot(i, ntk_scale(), label="NTK-aware")
    ax2.plot(i, yarn_scale(), label="YaRN ($\\alpha$=1, $\\beta$=32)")
    ax2.plot(i, llama3_scale(), label="Llama 3 (low 1, high 4)")
    ax2.set_xlabel("dimension pair i")
    ax2.set_ylabel("frequency multiplier $\\theta'_i/\\theta_i$")
    ax2.set_title(f"(b) frequency scaling for s = {S:.0f}")
    ax2.legend(loc="upper right", frameon=False, fontsize=9)
    save(fig, "context-window-scaling-rope")


if __name__ == "__main__":
    main()
