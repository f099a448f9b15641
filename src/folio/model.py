"""The content model: document types, their front matter schema and required sections.

This module is the single source of truth for the rules. The MkDocs plugin, `folio check`,
`folio new` and CONTRIBUTING.md all read these definitions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pymdownx.slugs import slugify as pymdownx_slugify

SERIES_NAME = "complete-llm-pipeline"
SERIES_LENGTH = 8
STATUSES = ("published", "draft")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9+.-]*(?: [a-z0-9+.-]+)*$")


@dataclass(frozen=True)
class DocType:
    """One collection of documents and the rules its documents follow."""

    name: str
    label: str
    noun: str  # how the text refers to one document of the type
    folder: str  # relative to the repository root
    url_prefix: str  # relative to the site root
    required_sections: tuple[str, ...]
    last_part_omits: tuple[str, ...] = ()
    min_words: int = 0
    max_words: int | None = None
    min_citations: int = 0
    min_figures: int = 0
    offers_script: bool = False  # publish the page's Python listings as one runnable file
    in_feed: bool = True  # listed in the Atom feed
    blurb: str = ""  # one sentence for the collection's card on the landing page
    extra_fields: dict[str, str] = field(default_factory=dict)
    guidance: dict[str, str] = field(default_factory=dict)


EXPLAINER = DocType(
    name="explainer",
    label="Explainers",
    noun="explainer",
    folder="docs/explainers",
    url_prefix="explainers",
    required_sections=("Problem", "Approach", "Benefits", "Key concepts"),
    min_words=1200,
    max_words=2500,
    min_citations=5,
    min_figures=1,
    blurb="Short, problem-first pieces: one technique, why it exists, how it works, what it costs.",
    guidance={
        "Problem": "State the problem a practitioner hits, with a number that shows its size.",
        "Approach": "Explain how the technique works, with a figure and a worked numeric example.",
        "Benefits": "What the reader gains and what it costs; say when not to use it.",
        "Key concepts": "A two-column table: | Term | Definition |, one row per term used above.",
    },
)

SERIES_POST = DocType(
    name="series-post",
    label="Complete LLM Pipeline",
    noun="part of the series",
    folder="docs/series",
    url_prefix="series",
    required_sections=("Overview", "Key takeaways", "What's next"),
    last_part_omits=("What's next",),
    min_words=1500,
    min_citations=4,
    min_figures=1,
    offers_script=True,
    blurb="Eight code-first parts that build a model, fine-tune it, serve it and write its GPU kernels. Every listing runs.",
    extra_fields={"series": "the series id, 'complete-llm-pipeline'", "part": "the part number, 1-8"},
    guidance={
        "Overview": "What this part builds, what the reader needs from earlier parts, what runs on a CPU.",
        "Key takeaways": "Three to five bullet points a reader should remember.",
        "What's next": "One paragraph on what the next part builds on top of this one.",
    },
)

ARTICLE = DocType(
    name="article",
    label="Articles",
    noun="article",
    folder="articles",
    url_prefix="articles",
    required_sections=("Introduction", "Conclusion"),
    min_words=2500,
    max_words=4500,
    min_citations=10,
    min_figures=2,
    blurb="Long-form technical reports on inference, training and systems, with worked numbers and cited sources.",
    guidance={
        "Introduction": "The problem, why it matters now, and what the article will show.",
        "Conclusion": "What the evidence supports, the open questions, and when not to use this.",
    },
)

DOC_TYPES: dict[str, DocType] = {t.name: t for t in (EXPLAINER, SERIES_POST, ARTICLE)}

COMMON_FIELDS: dict[str, str] = {
    "title": "a non-empty string",
    "summary": "one or two sentences (20-300 characters)",
    "description": "the search-result snippet: one sentence of 50-160 characters, not a copy of the summary",
    "date": "a date such as 2026-11-23",
    "updated": "optional: a date on or after `date`",
    "revisions": "optional: a list of `- date: YYYY-MM-DD` / `summary: \"...\"` entries, oldest first, the last one dated `updated`",
    "authors": "a list of author ids from docs/.authors.yml",
    "tags": "a list of lower-case tags",
    "type": "one of " + ", ".join(DOC_TYPES),
    "status": "one of " + ", ".join(STATUSES),
}
REQUIRED_COMMON = ("title", "summary", "description", "date", "authors", "tags", "type", "status")
TITLE_MAX = 70  # search results cut longer titles
DESCRIPTION_LENGTH = (50, 160)


@dataclass(frozen=True)
class FieldError:
    """A front matter field that does not match the schema."""

    field: str
    message: str


def normalize_heading(text: str) -> str:
    """Compare headings case-insensitively and with straight apostrophes."""
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip().casefold()


def doc_type_for_path(rel_path: str) -> DocType | None:
    """The collection a repository-relative path belongs to (index pages belong to none)."""
    path = PurePosixPath(rel_path)
    if path.suffix != ".md" or path.name == "index.md":
        return None
    for doc_type in DOC_TYPES.values():
        if str(path.parent) == doc_type.folder:
            return doc_type
    return None


def required_sections(doc_type: DocType, meta: dict[str, Any]) -> tuple[str, ...]:
    """The H2 sections a document must have, in order (the series' last part drops some)."""
    sections = doc_type.required_sections
    if doc_type is SERIES_POST and meta.get("part") == SERIES_LENGTH:
        sections = tuple(s for s in sections if s not in doc_type.last_part_omits)
    return sections


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def validate_front_matter(meta: dict[str, Any], known_authors: set[str] | None = None) -> list[FieldError]:
    """Every way `meta` departs from the schema of its type; empty when it is valid."""
    errors: list[FieldError] = []
    for name in REQUIRED_COMMON:
        if name not in meta or meta[name] in (None, ""):
            errors.append(FieldError(name, f"missing; expected {COMMON_FIELDS[name]}"))
    doc_type = DOC_TYPES.get(str(meta.get("type")))
    if "type" in meta and doc_type is None:
        errors.append(FieldError("type", f"unknown type {meta['type']!r}; expected {COMMON_FIELDS['type']}"))
    allowed = set(COMMON_FIELDS) | (set(doc_type.extra_fields) if doc_type else set())
    for name in meta:
        if name not in allowed:
            errors.append(FieldError(str(name), f"unknown field; expected one of {', '.join(sorted(allowed))}"))
    errors.extend(_check_values(meta, known_authors))
    if doc_type is not None:
        errors.extend(_check_type_fields(doc_type, meta))
    return errors


def _check_values(meta: dict[str, Any], known_authors: set[str] | None) -> list[FieldError]:
    errors: list[FieldError] = []
    title = meta.get("title")
    if title is not None and not (isinstance(title, str) and title.strip()):
        errors.append(FieldError("title", f"must be a non-empty string, got {title!r}"))
    elif isinstance(title, str) and len(title) > TITLE_MAX:
        errors.append(FieldError("title", f"{len(title)} characters; search results cut titles after {TITLE_MAX}, shorten it"))
    description = meta.get("description")
    low, high = DESCRIPTION_LENGTH
    if description is not None:
        if not (isinstance(description, str) and low <= len(description.strip()) <= high):
            length = len(description.strip()) if isinstance(description, str) else 0
            errors.append(FieldError("description", f"{length} characters; expected {COMMON_FIELDS['description']}"))
        elif description.strip() == str(meta.get("summary", "")).strip():
            errors.append(FieldError("description", "is the same as the summary; write a shorter sentence for search results"))
    summary = meta.get("summary")
    if summary is not None and not (isinstance(summary, str) and 20 <= len(summary.strip()) <= 300):
        errors.append(FieldError("summary", f"expected {COMMON_FIELDS['summary']}"))
    for name in ("date", "updated"):
        if name in meta and meta[name] is not None and not _is_date(meta[name]):
            errors.append(FieldError(name, f"{meta[name]!r} is not a date; expected YYYY-MM-DD, e.g. 2026-11-23"))
    if _is_date(meta.get("date")) and _is_date(meta.get("updated")) and meta["updated"] < meta["date"]:
        errors.append(FieldError("updated", f"{meta['updated']} is before date {meta['date']}; expected a later date"))
    errors.extend(_check_revisions(meta))
    if "authors" in meta and meta["authors"] is not None:
        if not _string_list(meta["authors"]) or not meta["authors"]:
            errors.append(FieldError("authors", f"expected {COMMON_FIELDS['authors']}"))
        elif known_authors is not None:
            for author in meta["authors"]:
                if author not in known_authors:
                    errors.append(FieldError("authors", f"unknown author id {author!r}; add it to docs/.authors.yml"))
    if "tags" in meta and meta["tags"] is not None:
        if not _string_list(meta["tags"]):
            errors.append(FieldError("tags", f"expected {COMMON_FIELDS['tags']}"))
        else:
            for tag in meta["tags"]:
                if not TAG_RE.match(tag):
                    errors.append(FieldError("tags", f"tag {tag!r} is not lower-case words; e.g. 'kv cache'"))
    if "status" in meta and meta["status"] not in STATUSES:
        errors.append(FieldError("status", f"{meta['status']!r}; expected {COMMON_FIELDS['status']}"))
    return errors


REVISION_KEYS = ("date", "summary")
REVISION_SUMMARY_LENGTH = (10, 200)


def _check_revisions(meta: dict[str, Any]) -> list[FieldError]:
    """Each revision is a dated one-line summary; they run oldest first and end at `updated`."""
    revisions = meta.get("revisions")
    if revisions is None:
        return []
    if not isinstance(revisions, list) or not revisions:
        return [FieldError("revisions", f"expected {COMMON_FIELDS['revisions'].removeprefix('optional: ')}")]
    errors: list[FieldError] = []
    dates: list[dt.date] = []
    low, high = REVISION_SUMMARY_LENGTH
    for number, entry in enumerate(revisions, start=1):
        where = f"entry {number}"
        if not isinstance(entry, dict) or set(entry) != set(REVISION_KEYS):
            keys = ", ".join(map(str, entry)) if isinstance(entry, dict) else type(entry).__name__
            errors.append(FieldError("revisions", f"{where} has {keys}; expected exactly the keys date and summary"))
            continue
        summary = entry["summary"]
        if not (isinstance(summary, str) and low <= len(summary.strip()) <= high):
            errors.append(FieldError("revisions", f"{where}: summary must be one line of {low}-{high} characters"))
        if not _is_date(entry["date"]):
            errors.append(FieldError("revisions", f"{where}: {entry['date']!r} is not a date; expected YYYY-MM-DD"))
            continue
        if _is_date(meta.get("date")) and entry["date"] < meta["date"]:
            errors.append(FieldError("revisions", f"{where}: {entry['date']} is before date {meta['date']}; a revision follows publication"))
        if dates and entry["date"] < dates[-1]:
            errors.append(FieldError("revisions", f"{where}: {entry['date']} comes after {dates[-1]}; list revisions oldest first"))
        dates.append(entry["date"])
    if dates and meta.get("updated") != max(dates):
        errors.append(FieldError("revisions", f"the latest revision is {max(dates)} but updated is {meta.get('updated') or 'missing'}; set updated: {max(dates)}"))
    return errors


def _check_type_fields(doc_type: DocType, meta: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    if doc_type is SERIES_POST:
        if meta.get("series") != SERIES_NAME:
            errors.append(FieldError("series", f"{meta.get('series')!r}; expected {SERIES_NAME!r}"))
        part = meta.get("part")
        if not (isinstance(part, int) and not isinstance(part, bool) and 1 <= part <= SERIES_LENGTH):
            errors.append(FieldError("part", f"{part!r}; expected an integer from 1 to {SERIES_LENGTH}"))
    return errors


_SLUG = pymdownx_slugify(case="lower", normalize="NFKD")


def slugify(title: str) -> str:
    """A URL slug from a title: pymdownx's slugs (lower case, accents folded), one hyphen per gap."""
    return re.sub(r"-{2,}", "-", _SLUG(title, "-")).strip("-")
