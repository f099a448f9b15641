"""The external link check against a local server (never an outside address): classification,
retries with backoff, Retry-After, the per-host interval, HEAD-refusing servers, and the report."""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import pytest

from folio.linkcheck import HostLimiter, LinkReport, Outcome, Settings, Use, check_url, classify
from folio.pdf import serving

FAST = Settings(concurrency=4, per_host_interval=0.05, retries=3, backoff=0.01, timeout=0.2)


class Web(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()
    times: ClassVar[list[float]] = []
    in_flight = 0
    most_in_flight = 0
    guard = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        with Web.guard:
            Web.hits[f"{self.command} {self.path}"] += 1
            Web.times.append(time.monotonic())
            Web.in_flight += 1
            Web.most_in_flight = max(Web.most_in_flight, Web.in_flight)
        try:
            self._route()
        finally:
            with Web.guard:
                Web.in_flight -= 1

    def _route(self) -> None:
        path = self.path
        if path == "/busy" and Web.hits["HEAD /busy"] < 3:
            self.send_response(429)
            self.send_header("Retry-After", "0")
        elif path == "/slow":
            time.sleep(0.5)
            self.send_response(200)
        elif path == "/nohead" and self.command == "HEAD":
            self.send_response(405)
        else:
            self.send_response({"/gone": 404, "/moved-away": 410, "/broken": 503, "/private": 403}.get(path, 200))
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer


@contextmanager
def web() -> Iterator[str]:
    Web.hits, Web.times, Web.in_flight, Web.most_in_flight = Counter(), [], 0, 0
    with serving(Web) as url:  # a slow handler does not hold up the test
        yield url.rstrip("/")


@pytest.mark.parametrize(
    ("path", "kind", "attempts", "detail"),
    [
        ("/ok", "ok", 1, "HTTP 200"),
        ("/gone", "dead", 1, "HTTP 404"),
        ("/moved-away", "dead", 1, "HTTP 410"),
        ("/private", "refused", 1, "HTTP 403"),
        ("/nohead", "ok", 1, "HTTP 200"),
        ("/busy", "ok", 3, "HTTP 200"),
        ("/broken", "transient", 3, "HTTP 503 after 3 tries"),
        ("/slow", "transient", 3, "timed out after 3 tries"),
    ],
)
def test_each_answer_is_classified_and_transient_ones_retried(path, kind, attempts, detail):
    with web() as base:
        outcome = check_url(base + path, FAST, HostLimiter(FAST.per_host_interval))
    assert (outcome.kind, outcome.attempts) == (kind, attempts), outcome
    assert detail in outcome.detail
    if path == "/busy":
        assert Web.hits["HEAD /busy"] == 3, "429 is retried until the server answers"
    if path == "/nohead":
        assert Web.hits["GET /nohead"] == 1, "a server that refuses HEAD is asked with GET"


def test_requests_to_one_host_are_serial_and_spaced():
    settings = Settings(concurrency=4, per_host_interval=0.1, retries=1, backoff=0.01, timeout=1.0)
    limiter = HostLimiter(settings.per_host_interval)
    with web() as base:
        threads = [threading.Thread(target=check_url, args=(f"{base}/ok?{i}", settings, limiter)) for i in range(5)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert Web.most_in_flight == 1, "never two requests in flight to one host"
    gaps = [b - a for a, b in zip(Web.times, Web.times[1:], strict=False)]
    assert len(Web.times) == 5 and min(gaps) >= 0.09, gaps


def test_classification_without_a_server():
    assert classify(None, "host not found ([Errno -2] Name or service not known)") == "dead"
    assert classify(None, "connection failed ([Errno 111] Connection refused)") == "transient"
    assert classify(429, "HTTP 429") == "transient" and classify(502, "HTTP 502") == "transient"
    assert classify(400, "HTTP 400") == "dead" and classify(301, "HTTP 301") == "ok"


def test_report_lists_dead_links_by_document_and_line_apart_from_transient_ones():
    outcomes = {
        "https://a.example/x": Outcome("https://a.example/x", "dead", "HTTP 404", 1),
        "https://b.example/y": Outcome("https://b.example/y", "transient", "HTTP 503 after 3 tries", 3),
        "https://c.example/z": Outcome("https://c.example/z", "ok", "HTTP 200", 1),
    }
    uses = [Use("articles/b.md", 12, "https://a.example/x"), Use("articles/a.md", 40, "https://a.example/x"), Use("articles/a.md", 3, "https://b.example/y")]
    text = LinkReport(outcomes, uses).markdown()
    assert text.startswith("Checked 3 external URLs (3 links): 1 dead, 1 failing for now, 0 refusing robots.")
    dead = text[text.index("## Dead links") : text.index("## Failing for now")]
    assert dead.index("`articles/a.md` | 40 |") < dead.index("`articles/b.md` | 12 |")
    assert "| `articles/a.md` | 3 | <https://b.example/y> | HTTP 503 after 3 tries |" in text[text.index("## Failing for now") :]
    assert "Refused" not in text


@pytest.mark.parametrize(("error", "reported"), [(BrokenPipeError, False), (ConnectionResetError, False), (ValueError, True)])
def test_local_server_is_quiet_only_about_dropped_connections(capsys, error, reported):
    """A browser that leaves a page drops its requests in flight: no traceback for that, but the
    server still reports any other failure."""
    from folio.pdf import LocalServer, QuietHandler

    server = LocalServer(("127.0.0.1", 0), QuietHandler)
    try:
        try:
            raise error("from the handler")
        except error:
            server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    assert ("from the handler" in capsys.readouterr().err) is reported
