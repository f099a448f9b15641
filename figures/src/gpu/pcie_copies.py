# folio: gpu
"""Host-device copies over the GPU's host link (PCIe on an H100 SXM): one large copy from
pinned and from pageable memory in each direction, then 256 MiB moved host to device as
many separate copies of one block size, one `copy_` call per block, as a naive offloading
engine would move KV-cache blocks. Timed with CUDA events.

Run: .venv/bin/python figures/src/gpu/pcie_copies.py   (needs a CUDA GPU)
"""

from __future__ import annotations

import torch
from _gpu import Table, events_ms, provenance, report, require_cuda

LARGE = 2**30
MOVED = 256 * 2**20
BLOCKS = (16 * 2**10, 64 * 2**10, 256 * 2**10, 2 * 2**20)


def gb_per_s(nbytes: int, ms: float) -> float:
    return nbytes / ms / 1e6


def large_copies(device: torch.device) -> Table:
    gpu = torch.empty(LARGE, device=device, dtype=torch.uint8)
    table = Table(f"One copy of {LARGE // 2**30} GiB", ["host memory", "host to device GB/s", "device to host GB/s"])
    for label, pinned in (("pinned", True), ("pageable", False)):
        host = torch.empty(LARGE, dtype=torch.uint8, pin_memory=pinned)
        to_device = events_ms(lambda host=host, pinned=pinned: gpu.copy_(host, non_blocking=pinned), repeats=5)
        to_host = events_ms(lambda host=host, pinned=pinned: host.copy_(gpu, non_blocking=pinned), repeats=5)
        table.rows.append([label, gb_per_s(LARGE, to_device), gb_per_s(LARGE, to_host)])
    return table


def blocked_copies(device: torch.device) -> Table:
    host = torch.empty(MOVED, dtype=torch.uint8, pin_memory=True)
    gpu = torch.empty(MOVED, device=device, dtype=torch.uint8)
    table = Table(f"{MOVED // 2**20} MiB host to device from pinned memory, one copy per block", ["block", "effective GB/s"])
    for block in BLOCKS:
        pairs = [(gpu[i : i + block], host[i : i + block]) for i in range(0, MOVED, block)]

        def move(pairs: list[tuple[torch.Tensor, torch.Tensor]] = pairs) -> None:
            for target, source in pairs:
                target.copy_(source, non_blocking=True)

        label = f"{block // 2**20} MiB" if block >= 2**20 else f"{block // 2**10} KiB"
        table.rows.append([label, gb_per_s(MOVED, events_ms(move, repeats=3, warmup=1))])
    return table


def main() -> None:
    device = require_cuda(__file__)
    report([large_copies(device), blocked_copies(device)], provenance())


if __name__ == "__main__":
    main()
