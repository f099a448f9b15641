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

    linked = explainer(title="Printable explainer", body_extra="See [the other explainer](/explainers/other.md) and [the table](#tab-demo).\n")
    root = make_site(tmp_path, {"docs/explainers/pdf-demo.md": linked, "docs/explainers/other.md": explainer(title="Other explainer")})
    assert build(root).returncode == 0
    assert "Download PDF" not in (root / "site" / "explainers" / "pdf-demo" / "index.html").read_text(), "no link to a PDF that this build does not make"
    env = {**os.environ, "FOLIO_PDF": "true"}
    assert build(root, env=env).returncode == 0
    page = (root / "site" / "explainers" / "pdf-demo" / "index.html").read_text()
    assert '<a href="pdf-demo.pdf" download>Download PDF</a>' in page and '<meta name="citation_pdf_url"' in page
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
    # document information: no site-name suffix, and author, subject and keywords set
    info = reader.metadata
    assert info.title == "Printable explainer"
    assert info.author == "LLM Systems Notes authors" and info.subject == "Iteration-level scheduling in brief: fewer idle GPU cycles between LLM requests."
    assert info["/Keywords"] == "inference, batching"
    # links: other documents point at the published site, never at the print server
    uris = [a.get_object()["/A"].get("/URI", "") for p in reader.pages for a in p.get("/Annots", []) if "/A" in a.get_object()]
    assert not [u for u in uris if "127.0.0.1" in u or "localhost" in u], uris
    assert "https://llm-systems-notes.github.io/portfolio/explainers/other/" in uris, uris
    site_url = "https://llm-systems-notes.github.io/portfolio/"
    for uri in (u for u in uris if u.startswith(site_url)):
        target = root / "site" / uri.removeprefix(site_url).split("#")[0]
        assert (target / "index.html" if target.is_dir() or not target.suffix else target).exists(), f"dead link in the PDF: {uri}"
    font = next(f for p in reader.pages for f in (p["/Resources"].get("/Font") or {}).values() if "STIXTwoText" in str(f.get_object().get("/BaseFont")))
    assert font, "the PDF sets its text in STIX Two, the site's text face"
    byline = next(line for line in text.splitlines() if line.startswith("By "))
    assert byline.endswith("min read"), f"a dangling separator where the PDF link was: {byline!r}"
