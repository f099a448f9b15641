"""`folio lighthouse`: Lighthouse scores of four page types, served with gzip like a real host.

Serves the built site on 127.0.0.1 with gzip compression, runs the npm `lighthouse`
package (mobile preset, system Chromium) on the landing page, one explainer, one series
post and one article, and writes a table of the category scores, LCP, TBT, CLS and bytes
transferred to docs/about/lighthouse.md.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from folio.bench import processor
from folio.documents import Site
from folio.pdf import CHROMIUM_ARGS, QuietHandler, chromium_path, serve

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
RESULTS_PAGE = Path("docs/about/lighthouse.md")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class GzipHandler(QuietHandler):
    """Static files, gzip-compressed when the client accepts it (as GitHub Pages does)."""

    def send_head(self):  # type: ignore[no-untyped-def]
        raw = Path(self.translate_path(self.path))
        if raw.is_dir() and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the base class redirects to the slash form
        path = raw / "index.html" if raw.is_dir() else raw
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts or path.suffix not in COMPRESSIBLE or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Bytes(body)


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def pages(root: Path) -> list[tuple[str, str]]:
    """(label, URL path) for the landing page and the first document of each collection."""
    site = Site.load(root)
    docs = [d for d in site.collection_documents if not d.is_draft]
    chosen = [("landing page", "")]
    for doc_type in site.model.types:
        first = next((d for d in sorted(docs, key=lambda d: d.slug) if d.doc_type is doc_type), None)
        if first is not None:
            chosen.append((f"{doc_type.noun}: {first.slug}", first.url_path))
    return chosen


def run_lighthouse(binary: Path, url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": chromium_path(full=True) or ""}
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    subprocess.run(
        [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={flags}", "--form-factor=mobile"],
        check=True, env=env, capture_output=True, timeout=300,
    )  # fmt: skip
    return json.loads(out.read_text(encoding="utf-8"))


def summarize(report: dict) -> dict[str, float]:
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    non_image = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") != "Image")
    row = {c: report["categories"][c]["score"] for c in CATEGORIES}
    row.update(
        {
            "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
            "tbt_ms": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "kib_total": audits["total-byte-weight"]["numericValue"] / 1024,
            "kib_without_images": non_image / 1024,
        }
    )
    return row


def browser_and_host(chromium: str | None) -> str:
    """'Chromium 156.0.8078.108 on 2 cores (...)': the browser's version and the machine, since
    Lighthouse scales the blocking time it measured on this machine's CPU."""
    version = "Chromium from the system"
    if chromium:
        done = subprocess.run([chromium, "--version"], capture_output=True, text=True, check=False, timeout=60)
        words = done.stdout.split()
        version = " ".join(words[:2]) if done.returncode == 0 and len(words) >= 2 else version
    return f"{version} on {processor()}"


def render(rows: list[tuple[str, dict[str, float]]], version: str, runs: int = 1, browser: str = "Chromium from the system") -> str:
    lines = [
        "| page | performance | accessibility | best practices | SEO | LCP (ms) | TBT (ms) | CLS | transferred (KiB) | without images (KiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in rows:
        lines.append(
            f"| {label} | {r['performance']:.2f} | {r['accessibility']:.2f} | {r['best-practices']:.2f} | {r['seo']:.2f} | "
            f"{r['lcp_ms']:.0f} | {r['tbt_ms']:.0f} | {r['cls']:.3f} | {r['kib_total']:.0f} | {r['kib_without_images']:.0f} |"
        )
    each = "one run per page" if runs == 1 else f"each value the median of {runs} runs per page, so a row need not be one run"
    return "\n".join(lines) + f"\n\nLighthouse {version}, mobile preset (simulated slow 4G and a 4x slower CPU), {browser}; {each}.\n"


PAGE = """---
title: Lighthouse scores
---

# Lighthouse scores

Measured by `make lighthouse` ({date}) on the built site served from 127.0.0.1 with gzip
compression, as a static host such as GitHub Pages serves it. Targets: performance at
least 0.98, largest contentful paint (LCP) at most 1.2 s and total blocking time (TBT) at
most 50 ms; accessibility, best practices and SEO 1.00.

{table}

{targets}

What decides the numbers. Lighthouse does not throttle the page load; it simulates a slow
phone from an unthrottled one (its "Lantern" model). In that simulation the largest paint
waits for the HTML and for every request that finished before the largest paint of the
unthrottled load; a stylesheet cannot start before the whole HTML has arrived; requests in
flight share the bandwidth; and a request that starts while the open connections are busy gets
a new one, one round trip (150 ms) later. The pages are built so that the paint needs one
request after the HTML: Material's stylesheet (22.8 KB compressed), which takes the connection
that brought the HTML.

- The small stylesheets the paint also needs (Material's palette, `folio.css` and the fallback
  faces, 7 to 8 KB compressed together) are written into each page (`folio/inline_css.py`).
- The text faces (four latin files of 16.8 to 18.2 KB, 69 KB together) are not requested before
  the first paint. A reader's first page is set in a system serif scaled to STIX Two Text's
  average character width and line metrics (`size-adjust` and ascent, descent and line-gap
  overrides, computed with the Capsize library): Times New Roman, or Liberation Serif or Tinos
  (made to its metrics), Noto Serif, or DejaVu Serif (`overrides/assets/fallback-faces.css`).
  The faces are fetched after that page's first paint and not applied; every later page sets
  `data-folio-faces` on `<html>` before its first paint and takes them from the cache. Without
  JavaScript, STIX Two Text is used from the start.

Before the font change (medians of 5 on 2026-11-28: LCP 1352, 1505, 1507 and 1508 ms) the two small
stylesheets were linked and the faces preloaded. Single runs on the explainer, on edited copies
of the built site, split that: writing the stylesheets into the page alone gave 1357 ms, and
also moving the faces after the paint gave 903 ms. Applying the faces as they arrived after the
paint, over Material's sans-serif fallback (one run per page), moved the text (cumulative
layout shift, CLS, 0.09 to 0.17) and laid long pages out a second time (TBT 159 and 211 ms):
hence the scaled serif on the first page and the faces from the next one on. The landing page's, the explainer's and the
article's runs land at about 0.90 s or 1.05 s, one round trip apart (of the five runs above:
four and one, one and four, two and three); the series part's all at 0.98 s; the cause was
not identified for this build (before, a favicon that finished before the paint in some runs
did the same). The site's
scripts (Material's bundle and `folio.js`) are requested only after the browser reports the
first paint (`overrides/main.html`), figures load lazily with their sizes set, and the math face
is applied after load, so none of them is on that path.

These runs use `make lighthouse`'s server: HTTP/1.0 without TLS. Each run starts Chromium with a
fresh profile, so it measures a first visit (Lighthouse's own reset empties the HTTP cache but
not localStorage). GitHub Pages serves HTTP/2 over TLS, where one connection carries every
request; the font change has not been measured there.

What it costs: 7 to 8 KB more per page that the cache cannot share; on a first visit all four
faces (69 KB), used or not (the landing page transfers 150 KiB instead of 114); a first page set
in the reader's system serif; when the cached faces have expired (GitHub Pages allows 10
minutes), a later page may show no text for up to 0.1 s and, if a face takes longer, switch to
it within 3 s; and on long pages a first layout that now counts as blocking time (the article's TBT median
went from 30 to 44 ms).

Blocking time is what runs after the first paint: mostly evaluating Material's bundle and
mounting its components (on document pages the longest task, about 100 ms on the simulated
phone in Lighthouse's long-task list; less on the landing page). Two things used to add a restyle of the
whole page each (about 80 ms on a series part of 5,000 elements): Material's palette
component marks every element as switching when it mounts, and any change to the class of
`<html>` restyles every element because Material's stylesheet has `:not([class])` selectors.
The palette toggle is now folio's (`folio.js`), and nothing changes the root's class after
load (a browser test checks every page). Since the paint came forward from 1.5 s to 0.9 to
1.05 s, a second task counts on long pages: the one that parses the HTML and lays out the page
now ends after the first paint, and the part of it after the paint, less 50 ms, is blocking
time. With the paint at 1.5 s the TBT medians were 43 ms on the series part
and 30 ms on the article; with the faces moved and nothing else changed, that task took 159 ms
on the simulated phone for the series part (one run's long-task list) and its TBT was 87 to
102 ms in five runs. Identifiers in highlighted code are now written as plain text (`folio/code_tokens.py`:
Pygments wrapped each in a span, 1,200 of the part's 5,173 elements), and the series part's
TBT is 28 to 74 ms in the five runs above, median 33 ms. Highlighted code now takes the
identifiers' colour, so they look the same; other plain text in code (Output blocks, shell and
YAML listings, the `f` of f-strings) is drawn in that colour too (#1f1f1f light, #e8eaf0 dark)
instead of Material's code colour. The targets are judged on the medians: single runs reached
74 ms on the series part and 48 ms on the article. Before the code-token change, skipping the layout of code blocks
off screen (`content-visibility: auto`), tried on a copy on 2026-11-28 (three runs, TBT 55 to
118 ms), did not lower it: the first task shortened by about 30 ms and the bundle's grew by
about 20 ms.

Not done: merging the other highlighting tokens that share a colour (punctuation and operator
spans are most of what is left in code), which would shorten long pages' first layout further.
"""


def targets(rows: list[tuple[str, dict[str, float]]]) -> str:
    """Each target, whether every page meets it, and the pages that do not."""
    checks = [
        ("performance at least 0.98", lambda r: r["performance"] >= 0.98, lambda r: f"{r['performance']:.2f}"),
        ("LCP at most 1.2 s", lambda r: r["lcp_ms"] <= 1200, lambda r: f"{r['lcp_ms']:.0f} ms"),
        ("TBT at most 50 ms", lambda r: r["tbt_ms"] <= 50, lambda r: f"{r['tbt_ms']:.0f} ms"),
        ("accessibility, best practices and SEO 1.00", lambda r: min(r["accessibility"], r["best-practices"], r["seo"]) >= 1.0, lambda r: "below 1.00"),
    ]
    lines = ["| target | met on every page | pages that miss it |", "|---|---|---|"]
    for name, met, shown in checks:
        misses = [f"{label} ({shown(row)})" for label, row in rows if not met(row)]
        lines.append(f"| {name} | {'no' if misses else 'yes'} | {'; '.join(misses) or '-'} |")
    return "\n".join(lines)


def median_row(runs: list[dict[str, float]]) -> dict[str, float]:
    """Each value's median over the runs: one simulated load varies with what the unthrottled
    load happened to finish before its first paint."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main(root: Path, site_dir: Path, runs: int = 5) -> int:
    binary = root / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        print("folio lighthouse: run `npm ci` first (make lighthouse does)", file=sys.stderr)
        return 2
    if not (site_dir / "index.html").exists():
        print(f"folio lighthouse: no built site in {site_dir}; run `make build` first", file=sys.stderr)
        return 2
    if runs < 1:
        print(f"folio lighthouse: --runs must be at least 1 (got {runs})", file=sys.stderr)
        return 2
    version = json.loads((root / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    rows = []
    with serve(site_dir, GzipHandler) as base, tempfile.TemporaryDirectory() as tmp:
        for label, path in pages(root):
            measured = []
            for _ in range(runs):
                measured.append(summarize(run_lighthouse(binary, base + path, Path(tmp) / "report.json")))
                print(f"{label}: " + ", ".join(f"{k} {v:.2f}" for k, v in measured[-1].items()), flush=True)
            rows.append((label, median_row(measured)))
    table = render(rows, version, runs, browser_and_host(chromium_path(full=True)))
    print(table)
    out = root / RESULTS_PAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(PAGE.format(date=time.strftime("%Y-%m-%d"), table=table.rstrip("\n"), targets=targets(rows)), encoding="utf-8")
    print(f"wrote {out.relative_to(root)}")
    return 0
