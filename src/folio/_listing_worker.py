"""Run one page's Python listings in order in one namespace (a child process of `folio check --exec`).

Reads a JSON list of listings on stdin and writes a JSON list of results on stdout.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import traceback
from typing import Any


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


def main() -> None:
    listings = json.load(sys.stdin)
    use_device(os.environ.get("FOLIO_LISTING_DEVICE", "cpu"))
    real_stdout = sys.stdout
    sys.stdout = io.StringIO()  # keep stray prints out of the JSON channel
    results = run(listings)
    sys.stdout = real_stdout
    json.dump(results, real_stdout)


if __name__ == "__main__":
    main()
