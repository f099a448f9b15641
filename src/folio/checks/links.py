"""LNK: internal links resolve to a document and anchor of the site; external links are well formed."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request

from folio.documents import Document, resolve_link
from folio.problems import Problem
from folio.scan import Link

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def anchors_of(doc: Document) -> set[str]:
    ids = {h.anchor for h in doc.source.headings}
    ids |= {c.ident for c in doc.source.captions if c.ident}
    return ids


def is_external(target: str) -> bool:
    return bool(SCHEME.match(target))


def check_links(doc: Document, files: set[str], documents: dict[str, Document]) -> list[Problem]:
    problems = []
    for link in doc.source.links:
        if link.is_image or (not link.text.strip() and link.target.startswith("#")):
            continue  # images are FIG rules; empty-text links are cross-references (FIG006)
        problems += _check_one(doc, link, files, documents)
    return problems


def _check_one(doc: Document, link: Link, files: set[str], documents: dict[str, Document]) -> list[Problem]:
    where = (doc.rel_path, link.line, link.col)
    target = link.target
    if not target:
        return [Problem(*where, "LNK001", f"link '{link.text}' has an empty target; add the URL or path")]
    if is_external(target):
        if target.lower().startswith(("mailto:", "javascript:")):
            return []  # javascript: is HTML003
        parsed = urllib.parse.urlparse(target)
        if parsed.scheme not in ("http", "https") or "." not in parsed.netloc or " " in target:
            return [Problem(*where, "LNK004", f"{target!r} is not a well-formed http(s) URL")]
        return []
    site_path, anchor = resolve_link(doc.site_path, target)
    if site_path is None:
        return [Problem(*where, "LNK003", f"{target!r} points outside the site; link to a document or figure inside it")]
    if site_path.endswith("/") or site_path == "" or site_path not in files:
        candidates = [site_path.rstrip("/") + ".md", site_path.rstrip("/") + "/index.md"]
        hint = next((c for c in candidates if c in files), None)
        fix = f"; did you mean '/{hint}'?" if hint else "; link to an existing .md source, e.g. '/articles/batching.md'"
        if site_path.startswith(("../", "src/")) or not site_path:
            return [Problem(*where, "LNK003", f"{target!r} points outside the site")]
        return [Problem(*where, "LNK001", f"{target!r} does not exist in the site{fix}")]
    if anchor and site_path in documents and anchor not in anchors_of(documents[site_path]):
        return [Problem(*where, "LNK002", f"anchor '#{anchor}' does not exist in {documents[site_path].rel_path}; check the heading or id")]
    return []


def check_online(docs: list[Document]) -> list[Problem]:
    """Request every external link (only with --online; never in CI): dead links are problems."""
    from folio.linkcheck import check_links

    report = check_links(docs)
    return [Problem(use.path, use.line, 1, "LNK005", f"{use.url} is dead ({outcome.detail}); replace or remove it") for use, outcome in report.by_kind("dead")]
