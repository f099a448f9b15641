# folio: gpu
"""Power, SM clock and the update period of the NVML counters, by workload.

Each workload runs in a loop (idle: nothing) while a thread samples NVML every 50 ms: power
reading, SM clock, and the total-energy counter. Mean power is computed two ways, from the
energy counter's difference over the interval and from the mean of the power samples. Then,
under the GEMM load, both counters are read every 2 ms for 3 s to find how often their value
changes. Needs NVML's Python bindings (`pip install nvidia-ml-py`).

Run: .venv/bin/python figures/src/gpu/power_clocks.py   (needs a CUDA GPU, about 50 s)
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable

import torch
from _gpu import Table, median, provenance, report, require_cuda

SECONDS, IDLE_SECONDS, SAMPLE_S, FAST_SAMPLE_S, FAST_SECONDS = 20.0, 3.0, 0.05, 0.002, 3.0
GEMV_SHAPE = (28672, 16384)  # 0.94 GB of BF16 weights
GEMM_SIZE = 8192


def nvml_handle():
    import pynvml

    pynvml.nvmlInit()
    return pynvml.nvmlDeviceGetHandleByIndex(torch.cuda.current_device())


def run_for(seconds: float, work: Callable[[], object] | None) -> int:
    """Call `work` in a loop for `seconds` (synchronizing every 20 calls); the number of calls."""
    calls, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        if work is None:
            time.sleep(SAMPLE_S)
            continue
        work()
        calls += 1
        if calls % 20 == 0:
            torch.cuda.synchronize()
    torch.cuda.synchronize()
    return calls


def sample(handle, seconds: float, work: Callable[[], object] | None) -> tuple[dict[str, float], int]:
    import pynvml

    samples: list[tuple[float, float]] = []  # (power W, SM clock MHz)
    stop = threading.Event()

    def sampler() -> None:
        while not stop.is_set():
            power = pynvml.nvmlDeviceGetPowerUsage(handle) / 1e3
            samples.append((power, pynvml.nvmlDeviceGetClockInfo(handle, pynvml.NVML_CLOCK_SM)))
            stop.wait(SAMPLE_S)

    energy_start, start = pynvml.nvmlDeviceGetTotalEnergyConsumption(handle), time.perf_counter()
    thread = threading.Thread(target=sampler)
    thread.start()
    calls = run_for(seconds, work)
    stop.set()
    thread.join()
    elapsed = time.perf_counter() - start
    energy_j = (pynvml.nvmlDeviceGetTotalEnergyConsumption(handle) - energy_start) / 1e3
    stats = {
        "energy_w": energy_j / elapsed,
        "samples_w": sum(p for p, _ in samples) / len(samples),
        "clock_mhz": median([c for _, c in samples]),
        "seconds": elapsed,
    }
    return stats, calls


def update_periods(handle, work: Callable[[], object]) -> Table:
    """How often the energy counter and the power reading change value under load."""
    import pynvml

    readings: dict[str, list[tuple[float, float]]] = {"energy counter": [], "power reading": []}
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            now = time.perf_counter()
            readings["energy counter"].append((now, pynvml.nvmlDeviceGetTotalEnergyConsumption(handle)))
            readings["power reading"].append((now, pynvml.nvmlDeviceGetPowerUsage(handle)))
            time.sleep(FAST_SAMPLE_S)

    thread = threading.Thread(target=reader)
    thread.start()
    run_for(FAST_SECONDS, work)
    stop.set()
    thread.join()
    table = Table(f"NVML counter updates under the GEMM load ({FAST_SECONDS:.0f} s, read every {FAST_SAMPLE_S * 1e3:.0f} ms)", ["counter", "changes", "median ms between changes"])
    for name, series in readings.items():
        changes = [t for (t, v), (_, previous) in zip(series[1:], series[:-1], strict=True) if v != previous]
        gaps = [(b - a) * 1e3 for a, b in itertools.pairwise(changes)]
        table.rows.append([name, len(changes), median(gaps) if gaps else float("nan")])
    return table


def main() -> None:
    device = require_cuda(__file__)
    import pynvml

    handle = nvml_handle()
    weights = torch.randn(GEMV_SHAPE, device=device, dtype=torch.bfloat16)
    vector = torch.randn(GEMV_SHAPE[1], 1, device=device, dtype=torch.bfloat16)
    a = torch.randn(GEMM_SIZE, GEMM_SIZE, device=device, dtype=torch.bfloat16)
    b = torch.randn(GEMM_SIZE, GEMM_SIZE, device=device, dtype=torch.bfloat16)
    limit_w = pynvml.nvmlDeviceGetEnforcedPowerLimit(handle) / 1e3

    table = Table(
        f"Power and SM clock by workload (enforced power limit {limit_w:.0f} W)",
        ["workload", "mean W (energy counter)", "mean W (power samples)", "SM clock median MHz", "result"],
    )
    idle, _ = sample(handle, IDLE_SECONDS, None)
    table.rows.append(["idle", idle["energy_w"], idle["samples_w"], "-", "-"])
    gemv, calls = sample(handle, SECONDS, lambda: weights @ vector)
    rate = calls * weights.numel() * weights.element_size() / gemv["seconds"] / 1e12
    table.rows.append(["batch-1 BF16 GEMV, 0.94 GB of weights", gemv["energy_w"], gemv["samples_w"], gemv["clock_mhz"], f"{rate:.1f} TB/s of weights read"])
    gemm, calls = sample(handle, SECONDS, lambda: a @ b)
    rate = calls * 2 * GEMM_SIZE**3 / gemm["seconds"] / 1e12
    table.rows.append([f"{GEMM_SIZE}^3 BF16 GEMM", gemm["energy_w"], gemm["samples_w"], gemm["clock_mhz"], f"{rate:.0f} TFLOP/s"])
    report([table, update_periods(handle, lambda: a @ b)], provenance())


if __name__ == "__main__":
    main()
