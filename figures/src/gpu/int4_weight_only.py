# folio: gpu
"""PyTorch's built-in weight-only INT4 kernel against BF16 and FP8, at the GEMM shape of
fp8_gemm.py: x (tokens, 4096) times a (4096 x 14336) weight.

INT4 is `aten._weight_int4pack_mm` (group size 128, BF16 activations, per-group scales and
zero points). FP8 here includes the cast of the activations to FP8 inside the timed call, as
a serving engine must do. Times are medians of `triton.testing.do_bench`. The weights are
random: only the time is measured, not accuracy.

Run: .venv/bin/python figures/src/gpu/int4_weight_only.py   (needs a CUDA GPU, sm80 or newer)
"""

from __future__ import annotations

import torch
from _gpu import Table, median_ms, provenance, report, require_cuda
from fp8_gemm import D_FFN, D_MODEL

GROUP_SIZE = 128
INNER_K_TILES = 8
TOKENS = (1, 8, 16, 32, 64, 128, 256, 512)


def int4_weight(device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """A random (N, K) weight of 4-bit values packed for the kernel, and its scales and zeros."""
    nibbles = torch.randint(0, 16, (D_FFN, D_MODEL), device=device, dtype=torch.uint8)
    packed = (nibbles[:, ::2] << 4) | nibbles[:, 1::2]  # [n][k / 2] bytes, two values each
    weight = torch._convert_weight_to_int4pack(packed, INNER_K_TILES)
    scales_and_zeros = torch.rand(D_MODEL // GROUP_SIZE, D_FFN, 2, device=device, dtype=torch.bfloat16)
    return weight, scales_and_zeros


def main() -> None:
    device = require_cuda(__file__)
    weight = torch.randn(D_FFN, D_MODEL, device=device, dtype=torch.bfloat16)
    weight_fp8 = weight.to(torch.float8_e4m3fn)
    unit = torch.tensor(1.0, device=device)
    packed, scales_and_zeros = int4_weight(device)
    table = Table(
        "One (tokens x 4096) @ (4096 x 14336) projection with BF16, FP8 and INT4 weights",
        ["tokens", "BF16 us", "FP8 us", "INT4 us", "INT4 vs BF16", "FP8 vs BF16"],
    )
    for tokens in TOKENS:
        x = torch.randn(tokens, D_MODEL, device=device, dtype=torch.bfloat16)
        bf16 = median_ms(lambda x=x: x @ weight.T) * 1e3
        fp8 = median_ms(lambda x=x: torch._scaled_mm(x.to(torch.float8_e4m3fn), weight_fp8.T, scale_a=unit, scale_b=unit, out_dtype=torch.bfloat16)) * 1e3
        int4 = median_ms(lambda x=x: torch._weight_int4pack_mm(x, packed, GROUP_SIZE, scales_and_zeros)) * 1e3
        table.rows.append([tokens, bf16, fp8, int4, f"{bf16 / int4:.2f}x", f"{bf16 / fp8:.2f}x"])
    report([table], provenance())


if __name__ == "__main__":
    main()
