"""Measured numbers for figure scripts, read from the repository's GPU results files.

A figure that sets a model beside a measurement reads the model from code and the measurement
from figures/measured/*.json (written by `folio gpu`), so the two cannot drift apart and the
figure changes when the measurement is re-run.
"""

from __future__ import annotations

from pathlib import Path

from folio.measured import Measurements

ROOT = Path(__file__).resolve().parents[2]


def measured_table(script: str, table: int = 1) -> list[dict[str, str]]:
    """Rows of the `table`-th table that figures/src/gpu/<script>.py printed in its newest result."""
    ident = f"figures/src/gpu/{script}.py"
    result = Measurements.load(ROOT).any_for(ident)
    if result is None:
        raise SystemExit(f"no measured result for {ident} in figures/measured/; run `make gpu` on a CUDA machine")
    rows = [line for line in result.tables()[table - 1].splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    return [dict(zip(header, (cell.strip() for cell in row.strip("|").split("|")), strict=True)) for row in rows[2:]]


def number(cell: str) -> float:
    """A table cell as a number: '1.68', '2.10x', '3017 GB/s' and '0.267' all read."""
    return float(cell.split()[0].rstrip("x"))
