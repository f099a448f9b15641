"""Machine-readable descriptions of documents: JSON-LD, a BibTeX entry to cite, an Atom feed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from folio import model
from folio.documents import Document


def document_url(doc: Document, site_url: str) -> str:
    return f"{site_url.rstrip('/')}/{doc.url_path}"


def json_ld(doc: Document, authors: list[dict[str, str]], url: str, site_name: str) -> dict[str, Any]:
    meta = doc.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "TechArticle",
        "headline": str(meta.get("title", "")),
        "description": str(meta.get("summary", "")),
        "author": [{"@type": "Organization" if "authors" in a.get("name", "") else "Person", "name": a.get("name", "")} for a in authors],
        "datePublished": str(meta.get("date", "")),
        "dateModified": str(meta.get("updated") or meta.get("date", "")),
        "keywords": ", ".join(str(t) for t in meta.get("tags") or []),
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": site_name},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "inLanguage": "en",
    }
    if doc.doc_type is model.SERIES_POST:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": model.SERIES_POST.label}
        data["position"] = meta.get("part")
    return data


def bibtex_entry(doc: Document, authors: list[dict[str, str]], url: str, site_name: str) -> str:
    date = doc.meta.get("updated") or doc.meta.get("date")
    year = date.year if isinstance(date, dt.date) else ""
    key = f"{doc.slug.replace('-', '')[:24]}{year}"
    names = " and ".join("{" + a.get("name", "") + "}" for a in authors)
    title = str(doc.meta.get("title", "")).replace("{", "").replace("}", "")
    return (
        f"@misc{{{key},\n"
        f"  author       = {{{names}}},\n"
        f"  title        = {{{{{title}}}}},\n"
        f"  howpublished = {{{site_name}}},\n"
        f"  year         = {{{year}}},\n"
        f"  url          = {{{url}}},\n"
        f"  note         = {{Version of {date}}}\n"
        "}"
    )


def atom_feed(docs: list[Document], site_url: str, site_name: str, subtitle: str) -> str:
    """An Atom feed of the articles and series posts, newest first."""
    items = [d for d in docs if d.doc_type in (model.ARTICLE, model.SERIES_POST)]
    items.sort(key=lambda d: (str(d.meta.get("updated") or d.meta.get("date")), d.slug), reverse=True)
    updated = max((str(d.meta.get("updated") or d.meta.get("date")) for d in items), default="2026-01-01")
    base = site_url.rstrip("/") + "/"
    entries = []
    for doc in items:
        url = document_url(doc, site_url)
        when = str(doc.meta.get("updated") or doc.meta.get("date"))
        tags = "".join(f'<category term="{escape(str(t))}"/>' for t in doc.meta.get("tags") or [])
        entries.append(
            "<entry>"
            f"<title>{escape(str(doc.meta.get('title', '')))}</title>"
            f'<link href="{escape(url)}"/>'
            f"<id>{escape(url)}</id>"
            f"<published>{doc.meta.get('date')}T00:00:00Z</published>"
            f"<updated>{when}T00:00:00Z</updated>"
            f"<summary>{escape(str(doc.meta.get('summary', '')))}</summary>"
            f"{tags}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(site_name)}</title><subtitle>{escape(subtitle)}</subtitle>"
        f'<link href="{escape(base)}"/><link rel="self" href="{escape(base)}feed.xml"/>'
        f"<id>{escape(base)}</id><updated>{updated}T00:00:00Z</updated>"
        f"<author><name>{escape(site_name)} authors</name></author>"
        + "".join(entries)
        + "</feed>\n"
    )
