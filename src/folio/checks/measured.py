"""GPU: every measured result a page shows comes from the current version of its source."""

from __future__ import annotations

from pathlib import Path

from folio import measured
from folio.documents import Document
from folio.problems import Problem


def check_measured(doc: Document, root: Path, measurements: measured.Measurements) -> list[Problem]:
    if "folio:measured" not in doc.text:
        return []
    lines = doc.text.split("\n")
    blocks = measured.fenced_blocks(lines)
    problems = []
    for marker in measured.find_markers(lines, blocks):
        result, message = measured.resolve(marker, blocks, root, measurements)
        if result is None:
            problems.append(Problem(doc.rel_path, marker.line, 1, "GPU001", message))
    return problems


def check_results_files(measurements: measured.Measurements) -> list[Problem]:
    return [Problem(path, 1, 1, "GPU002", f"{message}; results files are written by `folio gpu`") for path, message in measurements.errors]
