"""`mkdocs serve` picks up edits (a changed BibTeX entry and a changed article show on the next rebuild) and leaves no process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import GOOD_BIB, explainer, make_site
from folio.devserver import edit_for_watcher, mkdocs_serve

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("serve")]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_bib_and_article_edits_show_after_rebuild(tmp_path):
    root = make_site(tmp_path, {"articles/cached.md": explainer(title="Cache test").replace("type: explainer", "type: article")
                                .replace("## Problem", "## Introduction").replace("## Key concepts", "## Conclusion")})
    with mkdocs_serve(root, "--no-strict", start_timeout=60) as server:
        url = server.url + "portfolio/articles/cached/"
        assert "Orca: A Distributed Serving System" in fetch(url)

        edit_for_watcher(root / "references" / "library.bib", GOOD_BIB.replace("Orca: A Distributed", "Orca, Revised: A Distributed"))
        server.wait_for("Reloading browsers", 60)
        assert "Orca, Revised: A Distributed Serving System" in fetch(url)

        article = root / "articles" / "cached.md"
        edit_for_watcher(article, article.read_text().replace("Higher throughput", "Edited throughput"))
        server.wait_for("Reloading browsers", 60)
        assert "Edited throughput" in fetch(url)
        started = {pid: started_at(pid) for pid in children(server.pid)}  # the painter (share cards, formulas)
    if not Path("/proc/self/stat").exists():
        return  # process states are read from /proc (Linux)
    # Stopped with SIGTERM, MkDocs never shuts its plugins down: the painter must end by itself.
    deadline = time.monotonic() + 10
    while running(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = running(started)
    for pid in left:  # the test leaves nothing behind either
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert started and not left, f"processes outlived mkdocs serve: {left}"


def stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: [0] the state, [1] the parent, [19] the start time."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children(pid: int) -> list[int]:
    """The processes whose parent is pid (Linux /proc; none elsewhere)."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else []:
        try:
            if entry.name.isdigit() and int(stat_fields(int(entry.name))[1]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def started_at(pid: int) -> str | None:
    try:
        return stat_fields(pid)[19]
    except OSError:
        return None


def running(started: dict[int, str | None]) -> list[int]:
    """Those still running: same start time (not a new process with a reused pid), not a zombie."""
    alive = []
    for pid, start in started.items():
        try:
            fields = stat_fields(pid)
        except OSError:
            continue
        if fields[19] == start and fields[0] != "Z":
            alive.append(pid)
    return alive
