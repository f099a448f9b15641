"""`mkdocs serve` in a subprocess whose log can be waited on: for the bench and the tests."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class ServeTimeout(Exception):
    """`mkdocs serve` did not print an expected line in time."""


@dataclass
class DevServer:
    url: str  # http://127.0.0.1:PORT/
    lines: queue.Queue[str]
    pid: int  # the `mkdocs serve` process

    def wait_for(self, marker: str, timeout: float) -> None:
        """Return once a log line containing `marker` appears (lines before it are consumed)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                if marker in self.lines.get(timeout=left):
                    return
            except queue.Empty:
                break
        raise ServeTimeout(f"mkdocs serve did not print {marker!r} within {timeout} s")


def edit_for_watcher(path: Path, text: str) -> None:
    """Write `text` to `path` and set its modification time 2 s past both its old one and now, so
    that a watcher which polls file times (where inotify is missing) sees the edit at once, even
    within their resolution (a copied file can carry an old time)."""
    later = max(path.stat().st_mtime, time.time()) + 2
    path.write_text(text, encoding="utf-8")
    os.utime(path, (later, later))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def mkdocs_serve(folder: Path, *args: str, start_timeout: float = 180) -> Iterator[DevServer]:
    """Serve the site in `folder` on a free port until the block ends; yields once it serves."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *args],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout or []], daemon=True).start()
    try:
        server = DevServer(f"http://127.0.0.1:{port}/", lines, proc.pid)
        server.wait_for("Serving on", start_timeout)
        yield server
    finally:
        proc.terminate()
        proc.wait(timeout=30)
