"""Run a page's Python listings, so a figure plots what the page itself computes.

Listings are found by folio's own scanner, the one `folio check --exec` uses, and run
in page order in one namespace; GPU-only listings are skipped.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

from folio.documents import Document

ROOT = Path(__file__).resolve().parents[2]


def run_page_listings(relative_path: str) -> dict[str, Any]:
    """The namespace left by the listings of the page at `relative_path` (from the repository root)."""
    doc = Document.load(ROOT, ROOT / relative_path)
    namespace: dict[str, Any] = {"__name__": "__listing__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for block in doc.source.code_blocks:
            if block.lang == "python" and not block.gpu_only:
                exec(compile(block.code, relative_path, "exec", dont_inherit=True), namespace)
    return namespace
