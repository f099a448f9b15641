"""What the landing page and the collection indexes show, from front matter; the HTML is in the
Jinja partials overrides/partials/folio-card.html, folio-collection.html and folio-landing.html."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from folio import model
from folio.documents import Document

WORDS_PER_MINUTE = 230


def reading_minutes(doc: Document) -> int:
    return max(1, math.ceil(doc.source.word_count / WORDS_PER_MINUTE))


def format_date(value: object) -> str:
    return value.strftime("%B %-d, %Y") if isinstance(value, dt.date) else str(value or "")


def card_data(doc: Document, url: str, series_title: str = "", parts: int = 0) -> dict[str, Any]:
    """What a card shows, for the partials/folio-card.html template: the fields its type declares."""
    meta = doc.meta
    shown = set(doc.doc_type.card_fields) if doc.doc_type is not None else set(model.CARD_FIELDS)
    return {
        "url": url,
        "title": str(meta.get("title", doc.slug)),
        "summary": str(meta.get("summary", "")) if "summary" in shown else "",
        "date": str(meta.get("date", "")) if "date" in shown else "",
        "date_text": format_date(meta.get("date")) if "date" in shown else "",
        "reading_time": reading_minutes(doc) if "reading_time" in shown else None,
        "series": series_title,
        "part": doc.part,
        "parts": parts or None,
        "draft": doc.is_draft,
        "tags": [str(t) for t in meta.get("tags") or []] if "tags" in shown else [],
    }


class Cards:
    """Cards for the documents a build lists, with each series' title and length."""

    def __init__(self, docs: list[Document], site_model: model.SiteModel, url_of: Callable[[Document], str]) -> None:
        self.docs = docs
        self.model = site_model
        self.url_of = url_of
        self.parts: dict[str, int] = {}
        for doc in docs:
            if doc.series_id is not None:
                self.parts[doc.series_id] = self.parts.get(doc.series_id, 0) + 1

    def card(self, doc: Document) -> dict[str, Any]:
        series = doc.series_id
        title = self.model.series_title(series) if series is not None else ""
        return card_data(doc, self.url_of(doc), title, self.parts.get(series, 0) if series else 0)

    def collection(self, doc_type: model.DocType) -> dict[str, Any]:
        """The context of partials/folio-collection.html: the type's documents in reading order,
        grouped by series for a type whose documents form series."""
        members = sorted((d for d in self.docs if d.doc_type is doc_type), key=lambda d: d.reading_order)
        groups: dict[str, list[dict[str, Any]]] = {}
        for doc in members:
            groups.setdefault(self.model.series_title(doc.series_id) if doc.series_id else "", []).append(self.card(doc))
        return {
            "label": doc_type.label,
            "cards": [self.card(d) for d in members],
            "groups": [{"title": title, "id": model.slugify(title), "cards": cards} for title, cards in groups.items()],
        }

    def landing(self, folder_url: Callable[[str], str]) -> dict[str, Any]:
        """The context of partials/folio-landing.html: every collection, then the six newest documents."""
        collections = [
            {"label": t.label, "url": folder_url(t.url_prefix), "count": sum(1 for d in self.docs if d.doc_type is t), "blurb": t.blurb}
            for t in self.model.types
        ]
        latest = sorted(self.docs, key=lambda d: (str(d.meta.get("date", "")), d.slug), reverse=True)[:6]
        return {"collections": collections, "latest": [self.card(d) for d in latest]}
