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


def card_data(doc: Document, url: str) -> dict[str, Any]:
    """What a card shows, for the partials/folio-card.html template."""
    meta = doc.meta
    series = doc.doc_type is model.SERIES_POST
    return {
        "url": url,
        "title": str(meta.get("title", doc.slug)),
        "summary": str(meta.get("summary", "")),
        "date": str(meta.get("date", "")),
        "date_text": format_date(meta.get("date")),
        "reading_time": reading_minutes(doc),
        "part": meta.get("part") if series else None,
        "parts": model.SERIES_LENGTH if series else None,
        "draft": doc.is_draft,
        "tags": [str(t) for t in meta.get("tags") or []],
    }


def collection_data(doc_type: model.DocType, docs: list[Document], url_of: Callable[[Document], str]) -> dict[str, Any]:
    """The context of partials/folio-collection.html: the type's documents in reading order."""
    members = sorted((d for d in docs if d.doc_type is doc_type), key=lambda d: d.reading_order)
    return {"label": doc_type.label, "cards": [card_data(d, url_of(d)) for d in members]}


def landing_data(docs: list[Document], url_of: Callable[[Document], str], folder_url: Callable[[str], str]) -> dict[str, Any]:
    """The context of partials/folio-landing.html: every collection, then the six newest documents."""
    collections = [
        {"label": t.label, "url": folder_url(t.url_prefix), "count": sum(1 for d in docs if d.doc_type is t), "blurb": t.blurb}
        for t in model.DOC_TYPES.values()
    ]
    latest = sorted(docs, key=lambda d: (str(d.meta.get("date", "")), d.slug), reverse=True)[:6]
    return {"collections": collections, "latest": [card_data(d, url_of(d)) for d in latest]}
