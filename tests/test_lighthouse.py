"""The local host `make lighthouse` measures against (gzip when the browser accepts it, as GitHub Pages does) and the browser it measures in."""

from __future__ import annotations

import gzip
import urllib.request

from folio.lighthouse import GzipHandler
from folio.pdf import chromium_path, serve


def fetch(url: str, accept_gzip: bool) -> tuple[str | None, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if accept_gzip else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("Content-Encoding"), response.read()


def test_pages_are_gzipped_only_for_clients_that_accept_it(tmp_path):
    page = "<!doctype html><title>t</title>" + "<p>prose</p>" * 200
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text(page)
    with serve(tmp_path, GzipHandler) as base:
        encoding, body = fetch(base + "guide/", accept_gzip=True)
        assert encoding == "gzip" and gzip.decompress(body).decode() == page and len(body) < len(page)
        encoding, body = fetch(base + "guide/", accept_gzip=False)
        assert encoding is None and body.decode() == page


def test_the_table_shows_each_value_s_median_over_the_runs():
    from folio.lighthouse import median_row, render, targets

    runs = [{"lcp_ms": 1500.0, "tbt_ms": 40.0}, {"lcp_ms": 1970.0, "tbt_ms": 90.0}, {"lcp_ms": 1505.0, "tbt_ms": 60.0}]
    assert median_row(runs) == {"lcp_ms": 1505.0, "tbt_ms": 60.0}
    row = {"performance": 1.0, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0, "cls": 0.0, "kib_total": 220.4, "kib_without_images": 219.6}
    table = render([("article: x", {**row, **median_row(runs)})], "12.8.2", runs=3)
    assert "| article: x | 1.00 | 1.00 | 1.00 | 1.00 | 1505 | 60 | 0.000 | 220 | 220 |" in table
    assert "the median of 3 runs per page" in table
    missed = targets([("article: x", {**row, **median_row(runs)}), ("landing page", {**row, "lcp_ms": 1100.0, "tbt_ms": 20.0})])
    assert "| LCP at most 1.2 s | no | article: x (1505 ms) |" in missed
    assert "| TBT at most 50 ms | no | article: x (60 ms) |" in missed
    assert "| performance at least 0.98 | yes | - |" in missed


def test_runs_below_one_are_refused(tmp_path, capsys):
    from folio.lighthouse import main

    (tmp_path / "node_modules" / ".bin").mkdir(parents=True)
    (tmp_path / "node_modules" / ".bin" / "lighthouse").write_text("")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html></html>")
    assert main(tmp_path, tmp_path / "site", runs=0) == 2
    assert "--runs must be at least 1" in capsys.readouterr().err


def test_the_headless_shell_is_preferred_except_for_lighthouse(tmp_path, monkeypatch):
    """Tests, PDFs and screenshots load pages in Chromium's headless shell when it is installed;
    Lighthouse measures in the full browser; with no shell, both get Chromium."""
    for name in ("chromium", "chromium-headless-shell"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert (chromium_path(), chromium_path(full=True)) == (str(tmp_path / "chromium-headless-shell"), str(tmp_path / "chromium"))
    (tmp_path / "chromium-headless-shell").unlink()
    assert chromium_path() == chromium_path(full=True) == str(tmp_path / "chromium")
