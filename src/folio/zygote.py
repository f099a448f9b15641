"""Listing interpreters that import PyTorch once: a zygote per set of start-up variables forks
a fresh child for each page's run (`folio._listing_worker --zygote`). Importing PyTorch costs
about 1.4 s of CPU, which `folio check --exec` and the tests used to pay once per page."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

TIMED_OUT = "the listings ran past the page's time limit"

# Read when an interpreter or PyTorch starts: a zygote is started with these, and a run whose
# values differ gets another zygote. Every other variable is set in the forked run itself.
STARTUP_ENV_PREFIXES = ("PYTHON", "OMP_", "MKL_", "OPENBLAS_", "KMP_", "GOMP_", "NPY_", "TORCH", "PYTORCH", "LD_", "LC_", "LANG")


class Zygote:
    """A listing interpreter that has imported PyTorch once and forks a fresh child for each
    page (`folio._listing_worker --zygote`); one per environment, shared by threads."""

    def __init__(self, env: dict[str, str]) -> None:
        self.home = tempfile.mkdtemp(prefix="folio-zygote-")  # empty: -m puts the working folder first on sys.path
        self.process = subprocess.Popen(
            [sys.executable, "-m", "folio._listing_worker", "--zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=self.home,
        )  # fmt: skip
        self.lock = threading.Lock()

    def run(self, workdir: Path, payload: str, env: dict[str, str], limit: int) -> tuple[list[dict], str] | None:
        """The page's results and the last line its run wrote to stderr; None if the zygote is gone."""
        (workdir / "listings.json").write_text(payload)
        request = {"workdir": str(workdir), "env": env}
        with self.lock:
            if self.process.poll() is not None or self.process.stdin is None or self.process.stdout is None:
                return None
            try:
                self.process.stdin.write(json.dumps(request) + "\n")
                self.process.stdin.flush()
            except OSError:
                return None
            answer = self.process.stdout.readline().split()
        if answer[:1] != ["pid"] or not answer[1:2] or not answer[1].isdigit():
            return None
        status, killed = wait_for(workdir / "status", int(answer[1]), limit, lambda: self.process.poll() is None)
        if killed:  # even if it wrote results: a reader's interpreter would not have finished
            return [], TIMED_OUT
        if status is None and not (workdir / "results.json").exists():
            return None  # the zygote died and the run left nothing: run the page afresh
        stderr = (workdir / "stderr.txt").read_text() if (workdir / "stderr.txt").exists() else ""
        detail = (stderr.strip().splitlines() or [f"the interpreter exited with status {status}"])[-1]
        try:
            return json.loads((workdir / "results.json").read_text()), detail
        except (OSError, json.JSONDecodeError):
            return [], detail

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=10)
        self.discard()

    def discard(self) -> None:
        """Release what is left of a zygote that has ended: its pipes and its folder."""
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()
        shutil.rmtree(self.home, ignore_errors=True)


def wait_for(status: Path, pid: int, limit: float, zygote_alive: Callable[[], bool] = lambda: True) -> tuple[int | None, bool]:
    """(the forked run's exit code or None, whether it was killed at the time limit). The zygote
    reports the exit code; if the zygote dies, the run itself is watched (through a pidfd) until
    it ends or its time is up, so it never runs on beside a rerun of the page."""
    deadline = time.monotonic() + limit
    try:
        watched: int | None = os.pidfd_open(pid)
    except OSError:  # already reaped by the zygote: its code is, or is about to be, in the file
        watched = None
    try:
        while not status.exists():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(pid, watched)
                settled = time.monotonic() + 2  # a moment for the zygote to record it before the folder goes
                while not status.exists() and time.monotonic() < settled and zygote_alive():
                    time.sleep(0.01)
                return None, True
            if not zygote_alive():
                if watched is None or select.select([watched], [], [], remaining)[0]:
                    return None, False  # the run has ended; nobody is left to write its code
                continue
            time.sleep(0.01)
        return int(status.read_text()), False
    finally:
        if watched is not None:
            os.close(watched)


def _kill(pid: int, watched: int | None) -> None:
    with contextlib.suppress(ProcessLookupError):
        if watched is not None:
            signal.pidfd_send_signal(watched, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)


_ZYGOTES: dict[tuple[tuple[str, str], ...], Zygote] = {}
_ZYGOTES_LOCK = threading.Lock()


def zygote_for(env: dict[str, str]) -> Zygote | None:
    """The zygote for this environment's start-up variables, started on first use."""
    if not sys.platform.startswith("linux"):  # macOS: forking after PyTorch or Accelerate is unsafe
        return None
    key = tuple(sorted((k, v) for k, v in env.items() if k.startswith(STARTUP_ENV_PREFIXES)))
    with _ZYGOTES_LOCK:
        if key not in _ZYGOTES or _ZYGOTES[key].process.poll() is not None:
            if key in _ZYGOTES:
                _ZYGOTES[key].discard()
            elif not _ZYGOTES:
                atexit.register(_close_zygotes)
            _ZYGOTES[key] = Zygote(env)
        return _ZYGOTES[key]


def _close_zygotes() -> None:
    for zygote in _ZYGOTES.values():
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            zygote.close()
    _ZYGOTES.clear()
