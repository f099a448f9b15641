"""What every GPU measuring script shares: the device check, provenance, timing and the table.

The scripts in this folder measure on a CUDA GPU and print a Markdown table in the layout of
docs/about/measurements.md, headed by the device, driver and library versions. Without a GPU
they stop with one line and a non-zero exit status: they never print a number they did not
measure. `make figures` does not run them (it runs figures/src/*.py only).
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch

NVIDIA_SMI_FIELDS = ("driver_version", "power.limit", "clocks.max.sm")


def require_cuda(script: str) -> torch.device:
    """The CUDA device, or exit with one line saying there is none."""
    if not torch.cuda.is_available():
        sys.exit(f"{Path(script).name}: no CUDA GPU on this machine; it measures on a GPU and reports nothing without one")
    return torch.device("cuda")


def provenance() -> dict[str, str]:
    """Device, driver, power limit, clocks and library versions, for the record of a run."""
    props = torch.cuda.get_device_properties(0)
    info = {
        "date": dt.date.today().isoformat(),
        "device": props.name,
        "sms": str(props.multi_processor_count),
        "torch": torch.__version__,
        "cuda": torch.version.cuda or "unknown",
        "triton": _triton_version(),
    }
    try:
        out = subprocess.run(
            ["nvidia-smi", f"--query-gpu={','.join(NVIDIA_SMI_FIELDS)}", "--format=csv,noheader,nounits", "--id=0"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
        driver, power, clock = (value.strip() for value in out.splitlines()[0].split(","))
        info.update(driver=driver, power_limit_w=power, max_sm_clock_mhz=clock)
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        info.update(driver="unknown (nvidia-smi not available)")
    return info


def _triton_version() -> str:
    try:
        import triton
    except ImportError:
        return "not installed"
    return str(triton.__version__)


def median_ms(fn: Callable[[], object]) -> float:
    """Median milliseconds per call, by Triton's benchmark helper (it flushes the L2 cache)."""
    from triton.testing import do_bench

    return float(do_bench(fn, return_mode="median"))


def events_ms(fn: Callable[[], object], repeats: int, warmup: int = 3) -> float:
    """Mean milliseconds per call of `fn`, timed with CUDA events around `repeats` calls."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(repeats):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / repeats


def graph_ms(fn: Callable[[], object], replays: int = 30) -> float:
    """Mean milliseconds per replay of `fn` captured in a CUDA graph: launch overhead excluded."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):  # warm up outside the capture: library handles, workspaces
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        fn()
    return events_ms(graph.replay, replays, warmup=2)


@dataclass
class Table:
    """A measured table: printed as Markdown, kept as data for a results file."""

    title: str
    headers: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"| {' | '.join(self.headers)} |", "|" + "|".join("---:" for _ in self.headers) + "|"]
        lines += [f"| {' | '.join(_cell(v) for v in row)} |" for row in self.rows]
        return "\n".join([f"### {self.title}", "", *lines, "", *self.notes])


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def report(tables: Sequence[Table], info: dict[str, str]) -> None:
    """Print the provenance line and every table."""
    print(", ".join(f"{k}: {v}" for k, v in info.items()))
    for table in tables:
        print()
        print(table.markdown())


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))
