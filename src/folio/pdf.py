"""`folio pdf`: print every document of the built site to `<page dir>/<slug>.pdf`.

One headless Chromium serves the whole run. Pages are loaded from a local HTTP server
bound to 127.0.0.1 (so relative assets resolve as on the real site) and printed with
the print stylesheet in overrides/assets/folio.css.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from folio.documents import Site

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
FOOTER = (
    '<div style="font-size:8px;width:100%;padding:0 12mm;color:#555;display:flex;justify-content:space-between">'
    '<span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


@dataclass(frozen=True)
class PdfJob:
    url_path: str  # e.g. "articles/batching/"
    output: Path


def chromium_path(full: bool = False) -> str | None:
    """The system Chromium when there is one; None lets Playwright use its own browser. Without
    `full`, Chromium's headless shell comes first when installed (Debian: chromium-headless-shell):
    the same Blink without the browser's user interface, about a fifth less CPU per page loaded,
    which is most of what the browser tests cost. Lighthouse asks for the full browser."""
    names = ("chromium", "chromium-browser", "google-chrome")
    for name in names if full else ("chromium-headless-shell", *names):
        found = shutil.which(name)
        if found:
            return found
    return None


# The site's scripts run after the first paint (overrides/main.html); this holds once they have.
READY = "document.documentElement.hasAttribute('data-folio-ready')"
# The localStorage key a page sets once it has fetched the text faces (after its first paint);
# later pages use them from their first paint (overrides/main.html reads the key from here).
FACES_KEY = "folio-faces"
# This holds once the faces are fetched; as an init script, RETURNING_READER is a reader who
# fetched them on an earlier page (a first visit shows a serif with their metrics).
FACES_FETCHED = f"localStorage.getItem('{FACES_KEY}') === '1'"
RETURNING_READER = f"try {{ localStorage.setItem('{FACES_KEY}', '1'); }} catch (error) {{}}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class LocalServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that moves to the next page drops the requests still in flight; that is not
        an error worth a traceback. Anything else is reported as the standard server does."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serving(handler: Callable[..., socketserver.BaseRequestHandler]) -> Iterator[str]:
    """An HTTP server with `handler` on an ephemeral port of 127.0.0.1 for the duration of the
    block; yields its root URL. A slow request never holds up the end of the block."""
    server = LocalServer(("127.0.0.1", 0), handler)
    # A short poll interval: shutdown() waits for the loop's next poll (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve(directory: Path, handler_class: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve the files of `directory` for the duration of the block."""
    with serving(functools.partial(handler_class, directory=str(directory))) as url:
        yield url


def published_url(root: Path) -> str:
    """The site's `site_url` from mkdocs.yml (links between documents in a PDF point there)."""
    from mkdocs.config import load_config

    return str(load_config(str(root / "mkdocs.yml")).site_url or "")


def jobs(root: Path, site_dir: Path, only: set[str] | None = None) -> list[PdfJob]:
    """One job per published document (or per document whose source path is in `only`)."""
    found = []
    for doc in Site.load(root).collection_documents:
        if doc.is_draft or doc.doc_type is None or (only is not None and doc.rel_path not in only):
            continue
        if (site_dir / doc.url_path / "index.html").exists():
            found.append(PdfJob(doc.url_path, site_dir / doc.url_path / f"{doc.slug}.pdf"))
    return found


# Before printing: links to other pages of the site point at the published site, not at the
# temporary print server; links within the page stay internal; the title loses the site suffix.
PREPARE_FOR_PRINT = """
(siteUrl) => {
  for (const a of document.querySelectorAll("a[href]")) {
    const target = new URL(a.getAttribute("href"), location.href);
    if (target.origin !== location.origin) continue;
    if (target.pathname === location.pathname && target.hash) { a.setAttribute("href", target.hash); continue; }
    a.setAttribute("href", new URL(target.pathname.replace(/^\\//, "") + target.search + target.hash, siteUrl).href);
  }
  const meta = (name) => Array.from(document.querySelectorAll(`meta[name="${name}"], meta[property="${name}"]`), (m) => m.content);
  const heading = document.querySelector("h1");
  if (heading) document.title = heading.textContent.trim();
  return {title: document.title, authors: meta("citation_author"), subject: meta("description")[0] || "", keywords: meta("article:tag")};
}
"""


def set_metadata(path: Path, info: dict[str, object]) -> None:
    """Title, author, subject and keywords in the PDF's document information (Chromium sets only the title)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(path))
    writer.add_metadata(
        {
            "/Title": str(info["title"]),
            "/Author": ", ".join(map(str, info["authors"])),  # type: ignore[call-overload]
            "/Subject": str(info["subject"]),
            "/Keywords": ", ".join(map(str, info["keywords"])),  # type: ignore[call-overload]
        }
    )
    with path.open("wb") as out:
        writer.write(out)


def export(site_dir: Path, todo: list[PdfJob], site_url: str = "") -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(color_scheme="light")
        page = context.new_page()
        for job in todo:
            page.goto(base + job.url_path, wait_until="load")
            page.wait_for_function(READY)
            info = page.evaluate(PREPARE_FOR_PRINT, site_url or base)
            page.emulate_media(media="print")
            page.evaluate("document.fonts.ready.then(() => true)")  # the print faces, math included
            page.pdf(
                path=str(job.output),
                format="A4",
                print_background=True,
                margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
            set_metadata(job.output, info)
            written.append(job.output)
        browser.close()
    return written


def export_all(root: Path, site_dir: Path, only: set[str] | None = None) -> int:
    site_dir = site_dir if site_dir.is_absolute() else root / site_dir
    if not (site_dir / "index.html").exists():
        print(f"folio pdf: {site_dir} has no built site; run `make build` first", file=sys.stderr)
        return 2
    todo = jobs(root, site_dir, only)
    started = time.perf_counter()
    try:
        written = export(site_dir, todo, published_url(root))
    except Exception as exc:  # noqa: BLE001 - a missing browser must read as advice, not a traceback
        print(f"folio pdf: could not print with Chromium ({type(exc).__name__}: {exc}).", file=sys.stderr)
        print("Install Chromium (Debian: apt-get install chromium) or run `playwright install chromium`.", file=sys.stderr)
        return 1
    for path in written:
        print(path.relative_to(root) if path.is_relative_to(root) else path)
    print(f"{len(written)} PDFs in {time.perf_counter() - started:.1f} s")
    return 0
