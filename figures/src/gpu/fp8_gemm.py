# folio: gpu
"""BF16 against FP8 (E4M3) GEMMs at decode and prefill shapes, and the HBM copy rate.

`x @ W.T` with x of shape (tokens, 4096) and W of shape (14336, 4096), one MLP projection of
Llama 3 8B. FP8 runs through `torch._scaled_mm` with unit scales and a BF16 output; its
operands are cast to FP8 before timing (section "INT4" of int4_weight_only.py times the
activation cast too). Times are medians of `triton.testing.do_bench`.

Run: .venv/bin/python figures/src/gpu/fp8_gemm.py   (needs a CUDA GPU with FP8 tensor cores)
"""

from __future__ import annotations

import torch
from _gpu import Table, median_ms, provenance, report, require_cuda

D_MODEL, D_FFN = 4096, 14336
TOKENS = (1, 16, 64, 256, 1024, 4096)
COPY_BYTES = 2 * 2**30


def gemm_flops(tokens: int) -> float:
    return 2.0 * tokens * D_MODEL * D_FFN


def main() -> None:
    device = require_cuda(__file__)
    weight = torch.randn(D_FFN, D_MODEL, device=device, dtype=torch.bfloat16)
    weight_fp8 = weight.to(torch.float8_e4m3fn)
    unit = torch.tensor(1.0, device=device)
    table = Table(
        "BF16 and FP8 GEMMs of one (tokens x 4096) @ (4096 x 14336) projection",
        ["tokens", "BF16 us", "FP8 us", "FP8 speed-up", "BF16 TFLOP/s", "FP8 TFLOP/s"],
    )
    for tokens in TOKENS:
        x = torch.randn(tokens, D_MODEL, device=device, dtype=torch.bfloat16)
        x_fp8 = x.to(torch.float8_e4m3fn)
        bf16 = median_ms(lambda x=x: x @ weight.T) * 1e3
        # mat2 must be column-major: the transpose of a row-major (N, K) matrix is.
        fp8 = median_ms(lambda x_fp8=x_fp8: torch._scaled_mm(x_fp8, weight_fp8.T, scale_a=unit, scale_b=unit, out_dtype=torch.bfloat16)) * 1e3
        flops = gemm_flops(tokens)
        table.rows.append([tokens, bf16, fp8, bf16 / fp8, flops / bf16 / 1e6, flops / fp8 / 1e6])

    source = torch.empty(COPY_BYTES, device=device, dtype=torch.uint8)
    target = torch.empty_like(source)
    copy_ms = median_ms(lambda: target.copy_(source))
    table.notes.append(f"Device-to-device copy of {COPY_BYTES / 2**30:.0f} GiB: {2 * COPY_BYTES / copy_ms / 1e6:.0f} GB/s counting bytes read plus written.")
    report([table], provenance())


if __name__ == "__main__":
    main()
