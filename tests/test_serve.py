"""`mkdocs serve` picks up edits: a changed BibTeX entry and a changed article show on the next rebuild."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from conftest import GOOD_BIB, explainer, make_site

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("serve")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(lines: queue.Queue[str], marker: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if marker in lines.get(timeout=max(0.1, deadline - time.monotonic())):
                return
        except queue.Empty:
            break
    pytest.fail(f"mkdocs serve did not print {marker!r} within {timeout} s")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_bib_and_article_edits_show_after_rebuild(tmp_path):
    root = make_site(tmp_path, {"articles/cached.md": explainer(title="Cache test").replace("type: explainer", "type: article")
                                .replace("## Problem", "## Introduction").replace("## Key concepts", "## Conclusion")})
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-strict"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or []], daemon=True).start()
    try:
        wait_for(lines, "Serving on")
        url = f"http://127.0.0.1:{port}/portfolio/articles/cached/"
        assert "Orca: A Distributed Serving System" in fetch(url)

        time.sleep(1.1)  # file times have a resolution the watcher can miss otherwise
        (root / "references" / "library.bib").write_text(GOOD_BIB.replace("Orca: A Distributed", "Orca, Revised: A Distributed"))
        wait_for(lines, "Reloading browsers")
        assert "Orca, Revised: A Distributed Serving System" in fetch(url)

        time.sleep(1.1)
        article = root / "articles" / "cached.md"
        article.write_text(article.read_text().replace("Higher throughput", "Edited throughput"))
        wait_for(lines, "Reloading browsers")
        assert "Edited throughput" in fetch(url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
