"""Machine-readable descriptions of documents: JSON-LD, a BibTeX entry to cite, an Atom feed."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

from folio.documents import Document


def document_url(doc: Document, site_url: str) -> str:
    return f"{site_url.rstrip('/')}/{doc.url_path}"


def json_ld(
    doc: Document, authors: list[dict[str, str]], url: str, site_name: str, image: str | None = None, logo: str | None = None, series_title: str = ""
) -> dict[str, Any]:
    meta = doc.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "TechArticle",
        "headline": str(meta.get("title", "")),
        "description": str(meta.get("description") or meta.get("summary", "")),
        "author": [{"@type": "Organization" if "authors" in a.get("name", "") else "Person", "name": a.get("name", "")} for a in authors],
        "datePublished": str(meta.get("date", "")),
        "dateModified": str(meta.get("updated") or meta.get("date", "")),
        "keywords": ", ".join(str(t) for t in meta.get("tags") or []),
        "url": url,
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": site_name, **({"logo": {"@type": "ImageObject", "url": logo}} if logo else {})},
        **({"image": image} if image else {}),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "inLanguage": "en",
    }
    if doc.series_id is not None:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": series_title or doc.series_id}
        data["position"] = doc.part
    return data


def bibtex_entry(doc: Document, authors: list[dict[str, str]], url: str, site_name: str) -> str:
    """A BibTeX entry to cite the document, written by pybtex (it quotes and escapes)."""
    from pybtex.database import BibliographyData, Entry, Person
    from pybtex.database.output.bibtex import Writer  # direct: to_string("bibtex") looks it up per call

    date = doc.meta.get("updated") or doc.meta.get("date")
    year = str(date.year) if isinstance(date, dt.date) else ""
    key = f"{doc.slug.replace('-', '')[:24]}{year}"
    title = str(doc.meta.get("title", "")).replace("{", "").replace("}", "")
    # Braces keep an organization's name whole and the title's capitals as written.
    people = [Person("{" + a.get("name", "") + "}") for a in authors]
    fields = {"title": "{" + title + "}", "howpublished": site_name, "year": year, "url": url, "note": f"Version of {date}"}
    entry = Entry("misc", fields=fields, persons={"author": people})
    return Writer().to_string(BibliographyData({key: entry})).strip()


ATOM = "http://www.w3.org/2005/Atom"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _timestamp(value: object) -> str:
    return f"{value}T00:00:00Z"


def atom_feed(
    docs: list[Document], site_url: str, site_name: str, subtitle: str, content_of: Callable[[str], str | None] | None = None
) -> Iterator[str]:
    """An Atom feed (RFC 4287) of every published document of a type that feeds, newest change first:
    each entry with its own published and updated dates and, where `content_of` gives it, its full
    HTML content. Yielded piece by piece, so that a large site's feed is never whole in memory."""
    items = [d for d in docs if d.doc_type is not None and d.doc_type.in_feed]
    items.sort(key=lambda d: (str(d.meta.get("updated") or d.meta.get("date")), d.slug), reverse=True)
    base = site_url.rstrip("/") + "/"
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "title", site_name)
    sub(feed, "subtitle", subtitle)
    sub(feed, "link", href=base)
    sub(feed, "link", rel="self", href=base + "feed.xml")
    sub(feed, "id", base)
    sub(feed, "updated", _timestamp(max((str(d.meta.get("updated") or d.meta.get("date")) for d in items), default="2026-01-01")))
    sub(sub(feed, "author"), "name", f"{site_name} authors")
    head = ET.tostring(feed, encoding="unicode")
    yield '<?xml version="1.0" encoding="utf-8"?>\n' + head.removesuffix("</feed>")
    for doc in items:
        url = document_url(doc, site_url)
        entry = ET.Element(f"{{{ATOM}}}entry")
        sub(entry, "title", str(doc.meta.get("title", "")))
        sub(entry, "link", href=url)
        sub(entry, "id", url)
        sub(entry, "published", _timestamp(doc.meta.get("date")))
        sub(entry, "updated", _timestamp(doc.meta.get("updated") or doc.meta.get("date")))
        sub(entry, "summary", str(doc.meta.get("summary", "")))
        if doc.doc_type is not None:
            sub(entry, "category", term=doc.doc_type.name, label=doc.doc_type.label)
        for tag in doc.meta.get("tags") or []:
            sub(entry, "category", term=str(tag))
        html = content_of(doc.rel_path) if content_of else None
        if html is not None:
            content = sub(entry, "content", html, type="html")
            content.set(XML_BASE, url)  # the page's relative links and images resolve against it
        # Each entry is serialized alone (it repeats the Atom namespace declaration, which XML allows).
        yield ET.tostring(entry, encoding="unicode")
    yield "</feed>\n"


SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_with_dates(sitemap_xml: str, dates: dict[str, str]) -> str:
    """The sitemap with each document's own last change (`updated`, else `date`) as lastmod, and
    no lastmod on other pages: a build date there would claim changes that did not happen."""
    ET.register_namespace("", SITEMAP)
    root = ET.fromstring(sitemap_xml)  # noqa: S314 - the sitemap MkDocs just wrote, not outside input
    for url in root.findall(f"{{{SITEMAP}}}url"):
        loc = url.findtext(f"{{{SITEMAP}}}loc", "")
        lastmod = url.find(f"{{{SITEMAP}}}lastmod")
        if loc in dates:
            if lastmod is None:
                lastmod = ET.SubElement(url, f"{{{SITEMAP}}}lastmod")
            lastmod.text = dates[loc]
        elif lastmod is not None:
            url.remove(lastmod)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
