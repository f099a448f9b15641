"""Run one page's Python listings in order in one namespace (a child process of `folio check --exec`).

Reads a JSON list of listings on stdin and writes a JSON list of results on stdout. With
`--zygote` it instead imports the libraries the listings use once and forks a fresh child for
each page's run (`serve_forks`): importing PyTorch costs about 1.4 s of CPU, paid once per
process instead of once per page.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import io
import json
import linecache
import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, NoReturn

PRELOADED = ("numpy", "torch")  # imported by the zygote before it forks; neither initialises CUDA on import


class ListingTimeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise ListingTimeout


def _error_line(exc: BaseException, filename: str) -> int:
    line = getattr(exc, "lineno", None) if isinstance(exc, SyntaxError) and exc.filename == filename else None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename:
            line = frame.lineno
    return line or 1


def run(listings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    results: list[dict[str, Any]] = []
    signal.signal(signal.SIGALRM, _alarm)
    failed = False
    for index, listing in enumerate(listings):
        filename = f"<listing {index}>"
        if failed:
            results.append({"status": "not-run"})
            continue
        out = io.StringIO()
        signal.alarm(int(listing["timeout"]))
        try:
            # Registered as the listing's source, as a file's lines would be: Triton compiles a
            # @triton.jit kernel from inspect.getsource (on a GPU), and tracebacks show the lines.
            linecache.cache[filename] = (len(listing["code"]), None, listing["code"].splitlines(keepends=True), filename)
            code = compile(listing["code"], filename, "exec", dont_inherit=True)
            with contextlib.redirect_stdout(out):
                exec(code, namespace)  # noqa: S102 - executing the site's own listings is the point
            results.append({"status": "ok", "stdout": out.getvalue()})
        except ListingTimeout:
            failed = True
            results.append({"status": "timeout", "stdout": out.getvalue()})
        except BaseException as exc:  # noqa: BLE001 - report any failure of a listing
            failed = True
            results.append(
                {
                    "status": "error",
                    "line": _error_line(exc, filename),
                    "error": f"{type(exc).__name__}: {exc}".strip(),
                    "stdout": out.getvalue(),
                }
            )
        finally:
            signal.alarm(0)
    return results


def use_device(device: str) -> None:
    """On a GPU, tensors created without `device=` go to it, as a reader's code on a GPU would."""
    if device == "cuda":
        import torch

        torch.set_default_device("cuda")


def respond(payload: str) -> str:
    """The results (JSON) of running the listings in `payload` (JSON)."""
    listings = json.loads(payload)
    use_device(os.environ.get("FOLIO_LISTING_DEVICE", "cpu"))
    real_stdout = sys.stdout
    sys.stdout = io.StringIO()  # keep stray prints out of the JSON channel
    try:
        return json.dumps(run(listings))
    finally:
        sys.stdout = real_stdout


def main() -> None:
    sys.stdout.write(respond(sys.stdin.read()))


def serve_forks() -> NoReturn:
    """The zygote: for each request line on stdin ({"workdir", "env"}), fork a child that
    runs <workdir>/listings.json into <workdir>/results.json (its stderr in stderr.txt) and
    answer "pid N" on the original stdout; when a child ends, its exit code goes to
    <workdir>/status. Anything else printed (by a library on import) goes to stderr. When stdin
    closes, it exits at once, without tearing its modules down."""
    answers = os.dup(1)
    os.dup2(2, 1)
    for name in PRELOADED:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    workdirs: dict[int, str] = {}
    ended: dict[int, int] = {}

    def settle() -> None:
        for pid in [pid for pid in list(ended) if pid in workdirs]:
            status, workdir = ended.pop(pid, None), workdirs.pop(pid, None)
            if status is not None and workdir is not None:
                with contextlib.suppress(OSError):  # a run killed at its time limit may have no folder left
                    written = Path(workdir) / "status.part"
                    written.write_text(str(os.waitstatus_to_exitcode(status)))
                    written.replace(Path(workdir) / "status")

    def reap(signum: int, frame: Any) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            ended[pid] = status
            settle()

    signal.signal(signal.SIGCHLD, reap)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()  # nothing the zygote buffered may reach a child's files
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            os.close(answers)
            _run_forked(request)  # never returns
        workdirs[pid] = request["workdir"]
        settle()
        os.write(answers, f"pid {pid}\n".encode())
    # Its stdin closed: no page will come. The interpreter's teardown of PyTorch would take
    # about 0.5 s, which the process that closed the pipe waits for (zygote.Zygote.close).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _run_forked(request: dict[str, Any]) -> None:
    """In the forked child: what a fresh `python -m folio._listing_worker` in the run's folder
    would have (working folder first on sys.path, the run's environment, its own random seeds),
    then the listings, then what an interpreter does when it exits (shut down and wait for the
    threads a listing left running, run atexit handlers: a page that would hang a reader's
    interpreter at exit still times out) but not its teardown of every module, which with
    PyTorch and Triton loaded took longer than most pages' listings."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.chdir(request["workdir"])
        sys.path[0] = request["workdir"]
        sys.argv[1:] = []
        importlib.invalidate_caches()
        os.environ.clear()
        os.environ.update(request["env"])
        _reseed()
        nothing = os.open(os.devnull, os.O_RDONLY)
        os.dup2(nothing, 0)
        os.close(nothing)
        errors = os.open("stderr.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(errors, 1)
        os.dup2(errors, 2)
        os.close(errors)
        Path("results.part").write_text(respond(Path("listings.json").read_text()))
        Path("results.part").replace("results.json")  # whole or absent, whenever the parent looks
        code = 0
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the zygote's loop
        traceback.print_exc()
    _exit_as_an_interpreter_does(code)


def _exit_as_an_interpreter_does(code: int) -> None:
    # CPython's own exit steps (Py_FinalizeEx calls threading._shutdown, then the atexit handlers);
    # both are internal, so without them the child exits through SystemExit, slower but the same.
    shutdown, exit_handlers = getattr(threading, "_shutdown", None), getattr(atexit, "_run_exitfuncs", None)
    if shutdown is None or exit_handlers is None:
        raise SystemExit(code)
    try:
        shutdown()
        exit_handlers()
    except BaseException:  # noqa: BLE001 - reported as an interpreter would, and the child still exits here
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _reseed() -> None:
    """The zygote's random states would be every page's: seed them afresh, as a new interpreter does."""
    import random

    random.seed()
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


if __name__ == "__main__":
    serve_forks() if sys.argv[1:] == ["--zygote"] else main()
