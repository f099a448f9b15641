"""`folio pdf` prints a document with its title, math and references as real text."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import build, explainer, make_site
from folio.pdf import chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def require_browser() -> None:
    if chromium_path() is None and not os.environ.get("CI"):
        pytest.skip("no Chromium on this machine (CI installs it: apt-get install chromium)")


def test_pdf_has_title_math_references_and_pages(tmp_path):
    require_browser()
    from pypdf import PdfReader

    root = make_site(tmp_path, {"docs/explainers/pdf-demo.md": explainer(title="Printable explainer")})
    assert build(root).returncode == 0
    result = subprocess.run([sys.executable, "-m", "folio.cli", "pdf"], cwd=root, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = root / "site" / "explainers" / "pdf-demo" / "pdf-demo.pdf"
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert len(reader.pages) >= 1
    assert "Printable explainer" in text
    assert "Memory Management for Large Language" in text  # a reference (Chromium prints "ffi" as a ligature)
    assert "arXiv:2309.06180" in text
    assert "∑" in text or "Σ" in text  # display math as text, not an image
    assert "Search" not in text.split("\n")[0]  # no navigation chrome at the top
    assert "1 / " in text  # page numbers
