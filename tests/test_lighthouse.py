"""The local host `make lighthouse` measures against: gzip when the browser accepts it, as GitHub Pages does."""

from __future__ import annotations

import gzip
import urllib.request

from folio.lighthouse import GzipHandler
from folio.pdf import serve


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
