"""HTML for the landing page and the collection indexes, generated from front matter."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from html import escape

from folio import model
from folio.documents import Document

WORDS_PER_MINUTE = 230


def reading_minutes(doc: Document) -> int:
    return max(1, math.ceil(doc.source.word_count / WORDS_PER_MINUTE))


def format_date(value: object) -> str:
    return value.strftime("%B %-d, %Y") if isinstance(value, dt.date) else str(value or "")


def card(doc: Document, url: str) -> str:
    meta = doc.meta
    when = meta.get("date")
    details = []
    if doc.doc_type is model.SERIES_POST:
        details.append(f"Part {meta.get('part')} of {model.SERIES_LENGTH}")
    details.append(f'<time datetime="{escape(str(when))}">{escape(format_date(when))}</time>')
    details.append(f"{reading_minutes(doc)} min read")
    if doc.is_draft:
        details.append("<strong>Draft</strong>")
    tags = "".join(f'<li class="folio-tag">{escape(str(t))}</li>' for t in meta.get("tags") or [])
    return (
        '<li class="folio-card">'
        f'<a class="folio-card__title" href="{escape(url)}">{escape(str(meta.get("title", doc.slug)))}</a>'
        f'<p class="folio-card__meta">{" · ".join(details)}</p>'
        f'<p class="folio-card__summary">{escape(str(meta.get("summary", "")))}</p>'
        f'<ul class="folio-tags" aria-label="Tags">{tags}</ul>'
        "</li>"
    )


def collection_html(doc_type: model.DocType, docs: list[Document], url_of: Callable[[Document], str]) -> str:
    members = sorted((d for d in docs if d.doc_type is doc_type), key=lambda d: d.reading_order)
    if not members:
        return f'<p class="folio-empty">No {doc_type.label.lower()} are published yet.</p>\n'
    items = "".join(card(d, url_of(d)) for d in members)
    return f'<ul class="folio-cards">{items}</ul>\n'


LANDING_BLURBS = {
    "explainer": "Short, problem-first pieces: one technique, why it exists, how it works, what it costs.",
    "series-post": "Eight code-first parts that build a model, fine-tune it, serve it and write its GPU kernels. Every listing runs.",
    "article": "Long-form technical reports on inference, training and systems, with worked numbers and cited sources.",
}


def landing_html(docs: list[Document], url_of: Callable[[Document], str], folder_url: Callable[[str], str]) -> str:
    sections = []
    for doc_type in model.DOC_TYPES.values():
        members = [d for d in docs if d.doc_type is doc_type]
        count = f"{len(members)} {'document' if len(members) == 1 else 'documents'}" if members else "Coming soon"
        sections.append(
            '<li class="folio-card folio-card--collection">'
            f'<a class="folio-card__title" href="{escape(folder_url(doc_type.url_prefix))}">{escape(doc_type.label)}</a>'
            f'<p class="folio-card__meta">{count}</p>'
            f'<p class="folio-card__summary">{escape(LANDING_BLURBS[doc_type.name])}</p>'
            "</li>"
        )
    latest = sorted(docs, key=lambda d: (str(d.meta.get("date", "")), d.slug), reverse=True)[:6]
    recent = "".join(card(d, url_of(d)) for d in latest)
    recent_html = f'<h2 id="latest">Latest</h2>\n<ul class="folio-cards">{recent}</ul>\n' if latest else ""
    return f'<ul class="folio-cards folio-cards--collections">{"".join(sections)}</ul>\n\n{recent_html}'
