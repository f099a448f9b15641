# folio: gpu
# folio: measures docs/series/triton-gpu-programming.md docs/series/triton-kernels-for-llm-inference.md
"""The series' Triton kernels, compiled for the GPU, against PyTorch at realistic sizes.

First every Python listing of parts 5 and 6 runs in page order with PyTorch's default device
set to CUDA and Triton compiling for the GPU (no TRITON_INTERPRET): the pages' own tests then
check the kernels on the GPU. Then each kernel is timed through the page's own wrapper
(median of `triton.testing.do_bench`) next to the PyTorch operation it replaces. Rates count
the bytes each operation must move at least once, or its nominal FLOPs.

Run: .venv/bin/python figures/src/gpu/triton_kernels.py   (needs a CUDA GPU)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # figures/src: the page runner

from _gpu import Table, median_ms, provenance, report, require_cuda

PART_5 = "docs/series/triton-gpu-programming.md"
PART_6 = "docs/series/triton-kernels-for-llm-inference.md"


def page_namespace(path: str) -> dict[str, object]:
    from _listings import run_page_listings

    return run_page_listings(path)


def gbs(nbytes: float, fn: Callable[[], object]) -> tuple[float, float]:
    ms = median_ms(fn)
    return ms, nbytes / ms / 1e6


def tflops(flops: float, fn: Callable[[], object]) -> tuple[float, float]:
    ms = median_ms(fn)
    return ms, flops / ms / 1e9


def part5_table(ns: dict[str, object]) -> Table:
    add, softmax, matmul = ns["add"], ns["softmax"], ns["matmul"]
    table = Table("Part 5 kernels against PyTorch", ["kernel", "configuration", "ms", "rate", "PyTorch ms", "PyTorch rate"])
    n = 2**26
    x, y = torch.randn(n), torch.randn(n)
    ref = gbs(3 * 4 * n, lambda: x + y)
    for block in (256, 1024):
        ms, r = gbs(3 * 4 * n, lambda block=block: add(x, y, block_size=block))
        table.rows.append(["add, 2^26 fp32", f"block {block}", ms, f"{r:.0f} GB/s", ref[0], f"{ref[1]:.0f} GB/s"])
    s = torch.randn(16384, 4096)
    ms, r = gbs(2 * s.numel() * 4, lambda: softmax(s))
    ref = gbs(2 * s.numel() * 4, lambda: torch.softmax(s, dim=-1))
    table.rows.append(["softmax, 16384 x 4096 fp32", "one row per program", ms, f"{r:.0f} GB/s", ref[0], f"{ref[1]:.0f} GB/s"])
    a, b = torch.randn(4096, 4096, dtype=torch.float16), torch.randn(4096, 4096, dtype=torch.float16)
    flops = 2 * 4096**3
    ref = tflops(flops, lambda: a @ b)
    for block, block_k, group_m in ((64, 32, 1), (64, 32, 8), (128, 32, 1), (128, 32, 8), (128, 64, 8)):
        ms, r = tflops(flops, lambda block=block, block_k=block_k, group_m=group_m: matmul(a, b, block=block, block_k=block_k, group_m=group_m))
        table.rows.append(["matmul, 4096^3 fp16", f"block {block}, k-block {block_k}, GROUP_M {group_m}", ms, f"{r:.0f} TFLOP/s", ref[0], f"{ref[1]:.0f} TFLOP/s"])
    return table


def part6_table(ns: dict[str, object]) -> Table:
    rmsnorm, swiglu, flash_attention = ns["rmsnorm"], ns["swiglu"], ns["flash_attention"]
    table = Table("Part 6 kernels against PyTorch", ["kernel", "configuration", "ms", "rate", "PyTorch ms", "PyTorch rate"])
    x, w = torch.randn(4096, 4096, dtype=torch.bfloat16), torch.randn(4096, dtype=torch.bfloat16)
    moved = 2 * x.numel() * 2
    ms, r = gbs(moved, lambda: rmsnorm(x, w))
    ref = gbs(moved, lambda: F.rms_norm(x, (4096,), w, eps=1e-6))
    table.rows.append(["rmsnorm, 4096 x 4096 bf16", "", ms, f"{r:.0f} GB/s", ref[0], f"{ref[1]:.0f} GB/s (F.rms_norm)"])
    gate_up = torch.randn(4096, 2 * 14336, dtype=torch.bfloat16)
    moved = gate_up.numel() * 2 * 3 // 2  # read gate and up, write one output
    gate, up = gate_up.chunk(2, dim=-1)
    ref = gbs(moved, lambda: F.silu(gate) * up)
    for block in (64, 1024):
        ms, r = gbs(moved, lambda block=block: swiglu(gate_up, block_size=block))
        table.rows.append(["swiglu, 4096 x 2*14336 bf16", f"block {block}", ms, f"{r:.0f} GB/s", ref[0], f"{ref[1]:.0f} GB/s (eager)"])
    q, k, v = (torch.randn(1, 32, 4096, 128, dtype=torch.bfloat16) for _ in range(3))
    for causal in (False, True):
        flops = 4 * 32 * 4096 * 4096 * 128 / (2 if causal else 1)
        ref = tflops(flops, lambda causal=causal: F.scaled_dot_product_attention(q, k, v, is_causal=causal))
        error = (flash_attention(q, k, v, causal=causal, block_m=64, block_n=64) - F.scaled_dot_product_attention(q, k, v, is_causal=causal)).abs().max().item()
        for block_m, block_n in ((16, 16), (64, 64), (128, 64), (128, 128)):
            ms, r = tflops(flops, lambda bm=block_m, bn=block_n, causal=causal: flash_attention(q, k, v, causal=causal, block_m=bm, block_n=bn))
            label = f"flash attention{', causal' if causal else ''}, B 1, H 32, N 4096, d 128 bf16"
            table.rows.append([label, f"BLOCK_M {block_m}, BLOCK_N {block_n}", ms, f"{r:.0f} TFLOP/s", ref[0], f"{ref[1]:.0f} TFLOP/s (SDPA)"])
        table.notes.append(f"Largest absolute difference from SDPA ({'causal' if causal else 'non-causal'}, 64x64 blocks): {error:.1e}.")
    return table


def main() -> None:
    require_cuda(__file__)
    if os.environ.get("TRITON_INTERPRET") == "1":
        sys.exit("triton_kernels.py: TRITON_INTERPRET=1 is set; unset it so that Triton compiles for the GPU")
    torch.set_default_device("cuda")
    part5, part6 = page_namespace(PART_5), page_namespace(PART_6)  # the pages' own tests run here, on the GPU
    report([part5_table(part5), part6_table(part6)], provenance())


if __name__ == "__main__":
    main()
