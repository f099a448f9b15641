"""The folio MkDocs plugin. Event methods appear in build order.

- on_startup: remember whether we serve (drafts are shown) or build (drafts are left out).
- on_config: note the repository root and build the site model declared under `folio:`.
- on_files: mount the collections kept beside docs/ (articles/) and figures/ into the site,
  publish CONTRIBUTING.md as contributing.md, read every document once from MkDocs' files,
  and mark drafts; freeze what the build keeps to its end (gc.freeze) and start the painter
  (formulas ahead of the pages, share cards).
- on_nav: order the collections as declared, series by part and the others by date.
- on_page_markdown: run the build rules on the page's source (file and line in every
  warning, so `--strict` fails with a useful message), attach header data, and expand
  collection listings on index pages.
- on_page_content: keep each document's body for the feed, and set code, math and references
  aside so that Material's search indexer skips them.
- on_page_context: series navigation (part N of M, previous and next).
- on_post_page: put what was set aside back into the finished page, byte for byte.
- on_post_build: unfreeze; fail a strict build that reported content problems; write the
  Atom feed (full content) and give the sitemap each document's own last-change date.
- on_build_error: unfreeze, so that a failed build leaves the process as it found it.
- on_serve: watch the folders outside docs/ that feed the site.
- on_shutdown: stop the painter; under MkDocs' command line, let the process's exit skip
  collecting the build's objects (freeze_at_exit).
"""

from __future__ import annotations

import atexit
import functools
import gc
import gzip
import multiprocessing
import os
import re
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from folio import bib as biblib
from folio import cards, metadata, model
from folio import script as scripts
from folio.checks import Context, build_problems
from folio.checks.math import page_mathml
from folio.code_tokens import unwrap_name_tokens
from folio.config import ConfigError, FolioConfig, site_model
from folio.documents import Document, Site, load_author_details
from folio.inline_css import InlineStyleError, inline_stylesheets
from folio.library_cache import load_cached
from folio.listing import Cards, reading_minutes
from folio.mdx.math import use_converted
from folio.pdf import FACES_KEY

log = get_plugin_logger("folio")
MARKER = re.compile(r"^<!--\s*folio:(collection|landing)\s*([\w-]*)\s*-->\s*$", re.M)
# Code, math and the reference list stay out of the search index: every page downloads the
# index, and prose is what readers search for. Rather than marking them excluded, they are
# set aside before Material's indexer parses the page (their many tags are most of its
# work) and put back, byte for byte, into the finished HTML.
NOT_SEARCHED = re.compile(r'<(div) class="(?:language-\w+ )?highlight"|<(div) class="footnote"|<(span|div) class="folio-math')
NESTING = {tag: re.compile(rf"<(/?){tag}\b") for tag in ("div", "span")}
SET_ASIDE = "\ue001"  # private-use character: Markdown sources never contain it
TEMPLATES = str(Path(__file__).parent / "templates")
LOGO = "assets/folio-publisher-logo.png"  # the JSON-LD publisher logo, drawn once per build
REVIEW_RECORDS = "about/reviews"  # docs/about/reviews/<slug>.md: a document's public review record
SET_ASIDE_MARK = re.compile("<!--" + SET_ASIDE + r"(\d+)-->")


class FolioPlugin(BasePlugin[FolioConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.root = Path.cwd()
        self.ctx: Context | None = None
        self.documents: dict[str, Document] = {}  # by source URI in the site
        self.files: Files | None = None
        self.authors: dict[str, dict[str, str]] = {}
        self.model = model.SiteModel()
        self.series: dict[str, list[Document]] = {}  # each series' listed parts in order, by id
        self.kept_html: dict[str, list[str]] = {}  # HTML kept out of the indexer, by page
        self.scripts: dict[str, str] = {}  # runnable listing files, by the page's source URI
        self.reported: list[str] = []  # content problems reported in this build
        self.strict = False
        self.contents: dict[str, bytes] = {}  # rendered body of each document, compressed, for the feed
        self.cards: dict[str, Future[bytes]] = {}  # share card images being drawn, by output path
        self.card_names: dict[str, str] = {}  # a document's card file name, by source URI
        self.painter: Executor | None = None
        self.math_ahead: dict[str, Future[dict[tuple[str, bool], str]]] = {}  # by page source path
        self.env: Any = None  # the theme's Jinja environment, for folio's partials
        self.froze = False  # whether this build froze the collector's objects (on_files)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        self.strict = bool(config.strict)
        try:
            self.model = site_model(self.config)
        except ConfigError as exc:
            raise PluginError(str(exc)) from exc
        # folio's own partials (cards, collection indexes, landing page) come last in the theme's
        # search path: a file of the same name in the site's overrides/ replaces them.
        if TEMPLATES not in config.theme.dirs:
            config.theme.dirs.append(TEMPLATES)
        return config

    def _report(self, message: str) -> None:
        """Every content problem goes through here: logged for the reader, counted for strict mode."""
        self.reported.append(message)
        if not self.strict:  # a strict build reports them all once, in the error that fails it
            log.warning(message)

    # -- files ---------------------------------------------------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for folder, url in self.model.mounts:
            self._mount(files, config, folder, url)
        contributing = self.root / "CONTRIBUTING.md"
        if contributing.exists() and files.get_file_from_path("contributing.md") is None:
            files.append(File.generated(config, "contributing.md", abs_src_path=str(contributing)))
        site = Site.from_sources(self.root, self.model, self._sources(files))
        self.kept_html = {}
        self.env = None
        self.contents = {}
        self.reported = []
        self.ctx = Context(site, self._bibliography(config))
        for problem in self.ctx.bibliography.problems:
            self._report(str(problem))
        self.documents = {doc.site_path: doc for doc in site.documents}
        self.files = files
        self.authors = load_author_details(self.root / "docs" / ".authors.yml")
        self.series = {name: [d for d in parts if d.part is not None and self._listed(d)] for name, parts in site.series.items()}
        for doc in site.collection_documents:
            file = files.get_file_from_path(doc.site_path)
            if file is not None and doc.is_draft:
                file.inclusion = InclusionLevel.DRAFT
        self.scripts = self._add_scripts(site, files, config)
        # What exists now (MkDocs' config and files, the site model, the library, every document)
        # lives until the build ends. Frozen, the collector stops walking it on each full
        # collection while pages render, and a painter forked now leaves those pages shared (the
        # gc module's advice before a fork). The build's end unfreezes it. A program that froze
        # objects itself is left as it is.
        if gc.get_freeze_count() == 0:
            gc.freeze()
            self.froze = True
        self._convert_math_ahead(site)
        self._start_cards(site, files, config)
        return files

    def _convert_math_ahead(self, site: Site) -> None:
        """Each page's formulas become MathML in the painter's process, in build order and before
        the cards, while this process builds pages; a page then finds most of its MathML ready."""
        self.painter = self.painter or _painter()
        built = (doc for doc in site.documents if self.serving or not doc.is_draft)  # a build leaves drafts out
        self.math_ahead = {doc.site_path: self.painter.submit(page_mathml, doc.front.body) for doc in built if "$" in doc.text}

    def _start_cards(self, site: Site, files: Files, config: MkDocsConfig) -> None:
        """Draw each listed document's share card on a second thread while pages render."""
        self.painter = self.painter or _painter()
        self.cards, self.card_names = {}, {}
        for doc, page_file in self._published_pages(site, files):
            name = f"{doc.slug}-card.jpg"
            kicker = doc.doc_type.label
            if doc.series_id is not None and doc.part is not None:
                kicker = f"{self.model.series_title(doc.series_id)} · Part {doc.part} of {len(self.series.get(doc.series_id, []))}"
            card = cards.Card(str(doc.meta.get("title", doc.slug)), kicker, config.site_name)
            output = str(Path(config.site_dir, page_file.dest_uri).parent / name)
            self.cards[output] = self.painter.submit(cards.render, card)
            self.card_names[page_file.src_uri] = name
        self.cards[str(Path(config.site_dir, LOGO))] = self.painter.submit(cards.render_logo, config.site_name)

    def _add_scripts(self, site: Site, files: Files, config: MkDocsConfig) -> dict[str, str]:
        """Each page of a type that offers one gets its listings as a runnable file beside it."""
        added = {}
        for doc, page_file in self._published_pages(site, files):
            if not doc.doc_type.offers_script:  # type: ignore[union-attr]
                continue
            text = scripts.page_script(doc, (config.site_url or "/") + page_file.url)
            if text:
                folder = page_file.dest_uri.rpartition("/")[0]
                name = scripts.script_name(doc)
                files.append(File.generated(config, f"{folder}/{name}" if folder else name, content=text))
                added[page_file.src_uri] = name
        return added

    def _published_pages(self, site: Site, files: Files) -> Iterator[tuple[Document, File]]:
        """Each document of a collection that this build shows, with its page's file."""
        for doc in site.collection_documents:
            page_file = files.get_file_from_path(doc.site_path)
            if page_file is not None and doc.doc_type is not None and self._listed(doc):
                yield doc, page_file

    def _listed(self, doc: Document) -> bool:
        """Whether indexes and series navigation show the document (drafts only while serving)."""
        return not doc.front.error and (self.serving or not doc.is_draft)

    def _mount(self, files: Files, config: MkDocsConfig, folder: str, url: str) -> None:
        """Publish a folder beside docs/ at `url` (its src/ subfolder, the figure scripts, stays out)."""
        base = self.root / folder
        if not base.is_dir():
            return
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(base)
            if not path.is_file() or rel.parts[0] == "src" or path.name.startswith("."):
                continue
            uri = f"{url}/{rel.as_posix()}"
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, abs_src_path=str(path)))

    def _sources(self, files: Files) -> Iterator[tuple[str, str]]:
        """(repository path, text) of each Markdown page MkDocs will build, as MkDocs read it."""
        for file in files.documentation_pages():
            if file.abs_src_path is None:
                continue
            path = Path(file.abs_src_path)
            if path.is_relative_to(self.root) and path.name != "CONTRIBUTING.md":
                yield path.relative_to(self.root).as_posix(), file.content_string

    def _bibliography(self, config: MkDocsConfig) -> biblib.Bibliography:
        citations = config.plugins.get("folio-bibtex")
        library = getattr(citations, "library", None)
        return library if library is not None else load_cached(self.root)

    # -- navigation ----------------------------------------------------------------------
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        order = ("index.md", *(f"{t.url_prefix}/" for t in self.model.types), "about/", "contributing.md")
        nav.items.sort(key=lambda item: _top_level_key(item, order))
        for item in nav.items:
            if isinstance(item, Section):
                item.children.sort(key=self._nav_key)
        # MkDocs linked previous/next pages in file order before this event; relink them in the
        # order the tabs and sidebar now show, so the footer and rel=prev/next agree with them.
        nav.pages = list(_pages_in_order(nav.items))
        for before, page, after in zip([None, *nav.pages[:-1]], nav.pages, [*nav.pages[1:], None], strict=True):
            page.previous_page, page.next_page = before, after
        return nav

    def _nav_key(self, item: Any) -> tuple[int, tuple[int, str]]:
        """Index pages first, then the same order as the collection index pages."""
        file = getattr(item, "file", None)
        doc = self.documents.get(file.src_uri) if file is not None else None
        if doc is None or doc.doc_type is None:
            return (0, (0, ""))
        return (1, doc.reading_order)

    # -- pages ---------------------------------------------------------------------------
    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.ctx is not None
        doc = self.documents.get(page.file.src_uri)
        if doc is not None and markdown != doc.front.body:
            doc = doc.with_body(markdown)  # a plugin or hook changed the page: check what will render
        ahead = self.math_ahead.pop(page.file.src_uri, None)
        # Never wait for the painter: if it has not finished this page's formulas (the first pages,
        # while it starts), converting them here takes a few milliseconds, waiting tens of them.
        if ahead is not None and ahead.done():
            try:
                use_converted(ahead.result())
            except Exception as exc:  # noqa: BLE001 - the page converts its own formulas instead
                log.debug("folio: formulas of %s not converted ahead (%s)", page.file.src_uri, exc)
        elif ahead is not None:
            ahead.cancel()  # if it has not started, the painter skips it
        problems = build_problems(doc, self.ctx) if doc is not None else []
        for problem in problems:
            self._report(str(problem))
        if doc is not None and doc.doc_type is not None:
            # Material reads `status` as its own page-status badge; ours is for drafts only.
            page.meta.pop("status", None)
            if not any(p.code.startswith("FM") for p in problems):
                page.meta["folio"] = self._header(doc, page, config, files)
                page.meta.setdefault("description", doc.meta.get("summary"))
            doc.source.release()  # later pages need only its word count (for index cards)
        return MARKER.sub(lambda m: self._expand(m, page, files, config), markdown)

    def _header(self, doc: Document, page: Page, config: MkDocsConfig, files: Files) -> dict[str, Any]:
        assert self.ctx is not None
        authors = [self.authors.get(a, {"name": a}) for a in doc.meta.get("authors") or []]
        url = page.canonical_url or page.url
        record = files.get_file_from_path(f"{REVIEW_RECORDS}/{doc.slug}.md")
        card_url = f"{url}{self.card_names[page.file.src_uri]}" if page.file.src_uri in self.card_names else None
        return {
            "review_record": get_relative_url(record.url, page.url) if record is not None else None,
            "script": self.scripts.get(page.file.src_uri),
            "pdf": f"{doc.slug}.pdf" if self.config.pdf else None,
            "card_url": card_url,
            "card_alt": f"{doc.meta.get('title')}: {doc.doc_type.noun if doc.doc_type else 'document'} on {config.site_name}",
            "pdf_url": f"{url}{doc.slug}.pdf" if self.config.pdf else None,
            "listings": len(scripts.listings(doc)),
            "type": doc.doc_type.name if doc.doc_type else "",
            "type_label": doc.doc_type.label if doc.doc_type else "",
            "type_noun": doc.doc_type.noun if doc.doc_type else "document",
            "reading_time": reading_minutes(doc),
            "authors": authors,
            "slug": doc.slug,
            "json_ld": metadata.json_ld(doc, authors, url, config.site_name, image=card_url, logo=f"{config.site_url or '/'}{LOGO}", series_title=self._series_title(doc)),
            "bibtex": metadata.bibtex_entry(doc, authors, url, config.site_name),
        }

    def _series_title(self, doc: Document) -> str:
        return self.model.series_title(doc.series_id) if doc.series_id is not None else ""

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """The collections for templates that list them (the 404 page), from the site model, and
        the filter that writes small stylesheets into the page (folio/inline_css.py), and the key
        that says a reader has fetched the text faces (folio.pdf.FACES_KEY)."""
        env.globals["folio_collections"] = [{"label": t.label, "url": t.url_prefix, "blurb": t.blurb} for t in self.model.types]
        theme_dirs = list(config.theme.dirs)
        base_path = urlsplit(config.site_url or "/").path.rstrip("/") + "/"

        @functools.lru_cache(maxsize=64)  # pages at the same depth link the sheets alike
        def inline_styles(html: str, *patterns: str) -> str:
            try:
                return inline_stylesheets(html, theme_dirs, base_path, *patterns)
            except InlineStyleError as exc:
                raise PluginError(str(exc)) from exc

        env.filters["folio_inline_stylesheets"] = inline_styles
        env.globals["folio_faces_key"] = FACES_KEY
        return env

    def _expand(self, match: re.Match[str], page: Page, files: Files, config: MkDocsConfig) -> str:
        assert self.ctx is not None
        docs = [d for d in self.ctx.site.collection_documents if self._listed(d)]

        def url_of(doc: Document) -> str:
            file = files.get_file_from_path(doc.site_path)
            return get_relative_url(file.url, page.url) if file is not None else "#"

        listing = Cards(docs, self.model, url_of)
        if self.env is None:  # one environment per build: making one lists and compiles templates
            self.env = config.theme.get_env()  # overrides/ first: a site can restyle cards without code
        env = self.env
        if match.group(1) == "landing":
            context = listing.landing(lambda folder: get_relative_url(folder + "/", page.url))
            return env.get_template("partials/folio-landing.html").render(**context) + "\n"
        type_name = match.group(2)
        doc_type = self.model.by_name.get(type_name)
        if doc_type is None:
            self._report(f"{page.file.src_uri}: unknown collection {type_name!r} in folio:collection marker; use one of {', '.join(self.model.by_name)}")
            return ""
        context = listing.collection(doc_type)
        return env.get_template("partials/folio-collection.html").render(**context) + "\n"

    # After the citations plugin has filled in the references, before any other plugin.
    @event_priority(-100)
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        doc = self.documents.get(page.file.src_uri)
        if doc is not None and doc.doc_type is not None and doc.doc_type.in_feed:
            self.contents[doc.rel_path] = zlib.compress(html.encode("utf-8"), 1)  # about a sixth of the size
        if "-narrow.svg" not in html and "figures/" in html:
            def figure(name: str) -> Path | None:
                file = files.get_file_from_path(f"figures/{name}.svg")
                return Path(file.abs_src_path) if file is not None and file.abs_src_path else None

            html = figure_images(html, lambda name: figure(f"{name}-narrow") is not None, lambda name: svg_size(figure(name)))
        html = unwrap_name_tokens(html)
        html, self.kept_html[page.file.src_uri] = set_aside(html)
        return html

    def on_page_context(self, context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
        doc = self.documents.get(page.file.src_uri)
        # No series navigation on a page whose front matter failed: it has no header either.
        if doc is None or doc.series_id is None or "folio" not in page.meta:
            return context
        parts = self.series.get(doc.series_id, [])
        position = next((i for i, d in enumerate(parts) if d.rel_path == doc.rel_path), None)
        if position is None:
            return context
        def link(other: Document) -> dict[str, str] | None:
            file = self.files.get_file_from_path(other.site_path) if self.files is not None else None
            if file is None:
                return None
            return {"title": str(other.meta.get("title")), "url": get_relative_url(file.url, page.url), "part": str(other.meta.get("part"))}

        page.meta.setdefault("folio", {})["series"] = {
            "title": self.model.series_title(doc.series_id),
            "part": doc.part,
            "total": len(parts),
            "previous": link(parts[position - 1]) if position > 0 else None,
            "next": link(parts[position + 1]) if position + 1 < len(parts) else None,
        }
        return context

    # Before any other plugin sees the finished page.
    @event_priority(100)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return put_back(output, self.kept_html.pop(page.file.src_uri, []))

    def on_post_build(self, config: MkDocsConfig) -> None:
        self._unfreeze()
        self._cancel_math_ahead()
        for output, drawing in self.cards.items():
            Path(output).parent.mkdir(parents=True, exist_ok=True)
            Path(output).write_bytes(drawing.result())
        self.cards = {}
        # MkDocs' --quiet raises the log level before strict mode counts warnings (mkdocs#4126),
        # so a strict build fails here on its own count, whatever the log level.
        if config.strict and self.reported:
            raise PluginError(strict_failure(self.reported))
        if self.ctx is None or not config.site_url:
            return
        published = [d for d in self.ctx.site.collection_documents if not d.front.error and not d.is_draft]  # the feed never lists drafts
        def content_of(path: str) -> str | None:
            packed = self.contents.get(path)
            return zlib.decompress(packed).decode("utf-8") if packed is not None else None

        with Path(config.site_dir, "feed.xml").open("w", encoding="utf-8") as feed:
            feed.writelines(metadata.atom_feed(published, config.site_url, config.site_name, config.site_description or "", content_of))
        self.contents = {}
        self._date_sitemap(config, published)

    def _date_sitemap(self, config: MkDocsConfig, published: list[Document]) -> None:
        """Each document's own last change as its sitemap lastmod (MkDocs writes the build date)."""
        sitemap = Path(config.site_dir, "sitemap.xml")
        if not sitemap.exists() or config.site_url is None:
            return
        dates = {metadata.document_url(d, config.site_url): str(d.meta.get("updated") or d.meta.get("date")) for d in published}
        text = metadata.sitemap_with_dates(sitemap.read_text(encoding="utf-8"), dates)
        sitemap.write_text(text, encoding="utf-8")
        with gzip.GzipFile(sitemap.with_suffix(".xml.gz"), "wb", mtime=0) as packed:  # mtime 0: reproducible
            packed.write(text.encode("utf-8"))

    def on_build_error(self, *, error: Exception) -> None:
        self._unfreeze()  # a failed build leaves nothing frozen: `mkdocs serve` builds again in this process
        self._cancel_math_ahead()

    def _cancel_math_ahead(self) -> None:
        """Formulas of pages this build did not reach: the painter skips those it has not started."""
        for future in self.math_ahead.values():
            future.cancel()
        self.math_ahead = {}

    def _unfreeze(self) -> None:
        if self.froze:
            gc.unfreeze()
            self.froze = False

    def on_shutdown(self) -> None:
        """The share-card painter's process ends with MkDocs (builds run in-process in tests).
        Under MkDocs' command line this is the end of the process, so its exit may skip collecting."""
        if self.painter is not None:
            self.painter.shutdown(wait=True)
            self.painter = None
        if run_by_mkdocs_command_line():
            freeze_at_exit()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in (*(folder for folder, _ in self.model.mounts), "references", "overrides"):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        if (self.root / "CONTRIBUTING.md").exists():
            server.watch(str(self.root / "CONTRIBUTING.md"))
        return server


def strict_failure(problems: list[str]) -> str:
    """The error that fails a strict build. It lists the problems themselves, whatever the log
    level: MkDocs' --quiet hides warnings from its strict count (mkdocs#4126) and from the reader."""
    noun = "problem" if len(problems) == 1 else "problems"
    return "\n".join([f"folio: {len(problems)} content {noun}; strict mode fails the build:", *(f"  {p}" for p in problems)])


def run_by_mkdocs_command_line() -> bool:
    """Whether MkDocs' own command line runs this process (`mkdocs build` or `python -m mkdocs
    build`: its entry point is the main module, and its command is running), whose on_shutdown
    is, as MkDocs documents it, the end of the invocation just before the process exits; not a
    program that builds in-process and goes on, such as the tests (a CliRunner among them)."""
    main = sys.modules.get("__main__")
    entry = getattr(getattr(main, "__spec__", None), "name", None) == "mkdocs.__main__"  # python -m mkdocs
    command_line = getattr(sys.modules.get("mkdocs.__main__"), "cli", None)
    entry = entry or (command_line is not None and getattr(main, "cli", None) is command_line)  # the mkdocs script
    return entry and click.get_current_context(silent=True) is not None


@functools.cache  # once per process
def freeze_at_exit() -> None:
    """At interpreter exit, once the atexit handlers registered after this one have run, freeze
    what is left. The exit's own collections then skip the build's objects (the library, the
    pages' trees), which the operating system frees anyway: `mkdocs build` of 50 documents
    exits 0.1 to 0.15 s sooner on a 2-core machine. Objects are still released by their
    reference counts; only collecting reference cycles is skipped, which Python does not
    promise at exit anyway."""
    atexit.register(gc.freeze)


def _painter() -> Executor:
    """Share cards are drawn in a child process, so Pillow's work runs on another core in
    parallel with the page build instead of competing with it for the GIL."""
    if "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_end_with_the_build, initargs=(os.getpid(),))
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="folio-cards")


def _end_with_the_build(builder: int) -> None:
    """In the painter's process: end it once the process that builds (`builder`, its parent) is
    gone. MkDocs killed by a signal (`mkdocs serve` stopped with SIGTERM) never shuts its painter
    down, and the painter, which holds its own copy of the queue's pipe, would wait for work
    forever. Nothing is lost: the painter writes no files, its results go to the parent."""

    def watch() -> None:
        while os.getppid() == builder:
            time.sleep(0.2)  # a getppid() call: nothing next to drawing a card
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="folio-painter-watch").start()


FIGURE_IMAGE = re.compile(r'<img\b(?P<before>[^>]*?)\bsrc="(?P<src>[^"]*?figures/(?P<name>[\w.-]+)\.svg)"(?P<after>[^>]*)>')
PHONE_MEDIA = "(max-width: 44.9375em)"  # Material's tablet breakpoint: below it the column is at most 688 px


def figure_images(html: str, has_narrow: Callable[[str], bool], size: Callable[[str], tuple[int, int] | None] = lambda name: None) -> str:
    """Each figure image of a page as readers get it: loaded lazily, so it stays off the path to
    the first paint, with its drawn size (`size`: width and height in CSS pixels), so the text
    does not move when it arrives, and with its phone layout (figures/<name>-narrow.svg: panels
    stacked, text sized for a 390 px screen) for narrow screens where there is one."""

    def sized(name: str) -> str:
        dimensions = size(name)
        return f' width="{dimensions[0]}" height="{dimensions[1]}"' if dimensions else ""

    def swap(match: re.Match[str]) -> str:
        name = match.group("name")
        image = f'<img loading="lazy" decoding="async"{sized(name)}{match.group(0).removeprefix("<img")}'
        if not has_narrow(name):
            return image
        narrow = match.group("src").removesuffix(".svg") + "-narrow.svg"
        return f'<picture><source media="{PHONE_MEDIA}" srcset="{narrow}"{sized(name + "-narrow")}>{image}</picture>'

    return FIGURE_IMAGE.sub(swap, html)


SVG_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="(?P<width>[\d.]+)(?P<unit>pt|px)?"[^>]*?\bheight="(?P<height>[\d.]+)(?:pt|px)?"')


def svg_size(path: Path | None) -> tuple[int, int] | None:
    """An SVG's drawn size in CSS pixels (matplotlib writes points, diagrams pixels)."""
    if path is None:
        return None
    with path.open(encoding="utf-8") as svg:
        match = SVG_SIZE.search(svg.read(4096))
    if match is None:
        return None
    scale = 4 / 3 if match.group("unit") == "pt" else 1
    return round(float(match.group("width")) * scale), round(float(match.group("height")) * scale)


def set_aside(html: str) -> tuple[str, list[str]]:
    """The page with code, math and references replaced by numbered comments, and those parts."""
    kept: list[str] = []
    parts: list[str] = []
    position = 0
    for opening in NOT_SEARCHED.finditer(html):
        if opening.start() < position:  # inside an element already set aside
            continue
        end = _element_end(html, opening.start(), next(t for t in opening.groups() if t))
        if end < 0:  # unbalanced markup: leave it to the indexer as it is
            continue
        parts += [html[position : opening.start()], f"<!--{SET_ASIDE}{len(kept)}-->"]
        kept.append(html[opening.start() : end])
        position = end
    parts.append(html[position:])
    return "".join(parts), kept


def _element_end(html: str, start: int, tag: str) -> int:
    """Index just past the tag that closes the element opened at start, or -1."""
    depth = 0
    for match in NESTING[tag].finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = html.find(">", match.end())
            return close + 1 if close >= 0 else -1
    return -1


def put_back(html: str, kept: list[str]) -> str:
    """Undo set_aside: each comment becomes the exact HTML it stood for."""
    if not kept:
        return html
    return SET_ASIDE_MARK.sub(lambda m: kept[int(m.group(1))], html)


def _pages_in_order(items: list[Any]) -> Iterator[Page]:
    for item in items:
        if isinstance(item, Page):
            yield item
        elif isinstance(item, Section):
            yield from _pages_in_order(item.children)


def _top_level_key(item: Any, order: tuple[str, ...]) -> int:
    """Home, the collections in the order declared, then the other pages, whatever their names sort as."""
    file = getattr(item, "file", None)
    if file is None and getattr(item, "children", None):
        first = next((c for c in item.children if getattr(c, "file", None)), None)
        file = first.file if first else None
    uri = file.src_uri if file is not None else ""
    for rank, prefix in enumerate(order):
        if uri == prefix or (prefix.endswith("/") and uri.startswith(prefix)):
            return rank
    return len(order)
