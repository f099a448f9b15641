"""What every GPU measuring script shares: the device check, provenance, timing and the table.

The scripts in this folder measure on a CUDA GPU and print a Markdown table in the layout of
docs/about/measurements.md, headed by the device, driver and library versions. Without a GPU
they stop with one line and a non-zero exit status: they never print a number they did not
measure. `make figures` does not run them (it runs figures/src/*.py only).
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch


def require_cuda(script: str) -> torch.device:
    """The CUDA device, or exit with one line saying there is none."""
    if not torch.cuda.is_available():
        sys.exit(f"{Path(script).name}: no CUDA GPU on this machine; it measures on a GPU and reports nothing without one")
    return torch.device("cuda")


def provenance() -> dict[str, str]:
    """Device, driver, power limit, clocks and library versions (the fields of a results file)."""
    from folio.gpu import provenance as folio_provenance

    return folio_provenance(Path(__file__).resolve().parents[3])


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
        cells = [[_cell(v) for v in row] for row in self.rows]
        numeric = [all(_is_number(row[i]) for row in cells) for i in range(len(self.headers))]
        lines = [f"| {' | '.join(self.headers)} |", "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
        lines += [f"| {' | '.join(row)} |" for row in cells]
        return "\n".join([f"### {self.title}", "", *lines, "", *self.notes])


def _is_number(cell: str) -> bool:
    """Numbers (with a unit or an x after them) are right-aligned; words stay left."""
    return bool(cell) and (cell[0].isdigit() or cell == "-")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def report(tables: Sequence[Table], info: dict[str, str]) -> None:
    """Print the provenance line and every table."""
    print("provenance: " + ", ".join(f"{k}: {v}" for k, v in info.items()))
    for table in tables:
        print()
        print(table.markdown())


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))
