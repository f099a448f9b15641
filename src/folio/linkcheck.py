"""The external link check: every http(s) link of the site requested once, politely.

Bounded concurrency (a thread pool), at most one request at a time to each host with a minimum
interval between them, and retries with backoff for failures that may pass: timeouts, refused or
reset connections, 429 (honouring a short Retry-After) and 5xx. A link is *dead* when the server
answers 404 or 410, or the host name does not resolve; a link that still fails after its retries
is *transient* and reported apart, since it may work next week; 401 and 403 (sites that refuse
robots) are *refused*, also reported apart. HEAD is tried first; servers that reject it get a GET.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from folio.documents import Document

USER_AGENT = "folio-link-check (+https://github.com/llm-systems-notes/portfolio)"
DEAD_STATUSES = {404, 410}
REFUSED_STATUSES = {401, 403}
TRANSIENT_STATUSES = {408, 425, 429} | set(range(500, 600))
MAX_RETRY_AFTER = 30.0


@dataclass(frozen=True)
class Outcome:
    url: str
    kind: str  # "ok", "dead", "transient" or "refused"
    detail: str  # e.g. "HTTP 404", "timed out after 3 tries"
    attempts: int


@dataclass(frozen=True)
class Use:
    path: str
    line: int
    url: str


@dataclass
class Settings:
    concurrency: int = 8
    per_host_interval: float = 1.0  # seconds between two requests to one host
    retries: int = 3  # tries in all for a transient failure
    backoff: float = 2.0  # seconds before the first retry; doubles each time
    timeout: float = 15.0


class HostLimiter:
    """One request at a time per host, and at least `interval` seconds between them."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = interval
        self.clock, self.sleep = clock, sleep
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}

    def __call__(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait_turn(self, host: str) -> None:
        """Call while holding the host's lock."""
        last = self._last.get(host)
        if last is not None:
            pause = self.interval - (self.clock() - last)
            if pause > 0:
                self.sleep(pause)
        self._last[host] = self.clock()


def _request(url: str, method: str, timeout: float) -> tuple[int | None, str, float | None]:
    """(HTTP status or None, detail, Retry-After seconds if given)."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            return response.status, f"HTTP {response.status}", None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}", _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, socket.gaierror):
            return None, f"host not found ({reason})", None
        return None, f"connection failed ({reason})", None
    except TimeoutError:
        return None, "timed out", None
    except OSError as exc:
        return None, f"connection failed ({exc})", None


def _retry_after(value: str | None) -> float | None:
    try:
        return min(float(value), MAX_RETRY_AFTER) if value else None
    except ValueError:
        return None


def classify(status: int | None, detail: str) -> str:
    if status is not None:
        if status < 400:
            return "ok"
        if status in DEAD_STATUSES:
            return "dead"
        if status in REFUSED_STATUSES:
            return "refused"
        return "transient" if status in TRANSIENT_STATUSES else "dead"
    return "dead" if detail.startswith("host not found") else "transient"


def check_url(url: str, settings: Settings, limiter: HostLimiter) -> Outcome:
    host = urllib.parse.urlsplit(url).netloc.lower()
    delay = settings.backoff
    kind, detail = "transient", "not requested"
    for attempt in range(1, settings.retries + 1):
        with limiter(host):
            limiter.wait_turn(host)
            status, detail, retry_after = _request(url, "HEAD", settings.timeout)
            if status in (403, 405, 501):  # servers that refuse HEAD: ask with GET
                limiter.wait_turn(host)
                status, detail, retry_after = _request(url, "GET", settings.timeout)
        kind = classify(status, detail)
        if kind != "transient":
            return Outcome(url, kind, detail, attempt)
        if attempt < settings.retries:
            limiter.sleep(max(delay, retry_after or 0.0))
            delay *= 2
    return Outcome(url, "transient", f"{detail} after {settings.retries} tries", settings.retries)


def external_uses(docs: list[Document]) -> list[Use]:
    return [
        Use(doc.rel_path, link.line, link.target.split("#")[0])
        for doc in docs
        for link in doc.source.links
        if link.target.startswith(("http://", "https://"))
    ]


@dataclass
class LinkReport:
    outcomes: dict[str, Outcome]
    uses: list[Use] = field(default_factory=list)

    def by_kind(self, kind: str) -> list[tuple[Use, Outcome]]:
        return sorted(((u, self.outcomes[u.url]) for u in self.uses if self.outcomes[u.url].kind == kind), key=lambda pair: (pair[0].path, pair[0].line))

    def markdown(self) -> str:
        checked = len(self.outcomes)
        dead, transient, refused = self.by_kind("dead"), self.by_kind("transient"), self.by_kind("refused")
        lines = [f"Checked {checked} external URLs ({len(self.uses)} links): {len({o.url for _, o in dead})} dead, "
                 f"{len({o.url for _, o in transient})} failing for now, {len({o.url for _, o in refused})} refusing robots.", ""]
        for title, rows, advice in (
            ("Dead links (404, 410 or unknown host)", dead, "Replace each with the moved page, an archived copy, or remove it."),
            ("Failing for now (timeouts, 429, 5xx after retries)", transient, "Often temporary; act if a link stays here for several weeks."),
            ("Refused (401, 403)", refused, "The site blocks automated requests; check these by hand now and then."),
        ):
            if not rows:
                continue
            lines += [f"## {title}", "", advice, "", "| document | line | URL | result |", "|---|---:|---|---|"]
            lines += [f"| `{u.path}` | {u.line} | <{u.url}> | {o.detail} |" for u, o in rows]
            lines.append("")
        return "\n".join(lines)


def check_links(docs: list[Document], settings: Settings | None = None) -> LinkReport:
    settings = settings or Settings()
    uses = external_uses(docs)
    urls = sorted({u.url for u in uses})
    limiter = HostLimiter(settings.per_host_interval)
    with ThreadPoolExecutor(max_workers=settings.concurrency) as pool:
        outcomes = dict(zip(urls, pool.map(lambda url: check_url(url, settings, limiter), urls), strict=True))
    return LinkReport(outcomes, uses)
