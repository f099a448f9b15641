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

STATUSES = ("published", "draft")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9+.-]*(?: [a-z0-9+.-]+)*$")
CARD_FIELDS = ("date", "reading_time", "summary", "tags")  # what a card can show (partials/folio-card.html)
SERIES_FIELDS = {
    "series": "the series id, a slug such as 'complete-llm-pipeline' (a new id starts a new series)",
    "part": "the part number in its series: 1, 2, 3, ...",
}


@dataclass(frozen=True)
class DocType:
    """One collection of documents and the rules its documents follow, as declared in mkdocs.yml."""

    name: str
    label: str
    folder: str  # relative to the repository root
    noun: str = ""  # how the text refers to one document of the type; the name when empty
    url_prefix: str = ""  # relative to the site root; the folder without docs/ when empty
    sections: tuple[tuple[str, str], ...] = ()  # required H2 sections, in order, with guidance
    series: bool = False  # documents are numbered parts of named series (front matter series, part)
    last_part_omits: tuple[str, ...] = ()  # required sections the last part of a series drops
    min_words: int = 0
    max_words: int | None = None
    min_citations: int = 0
    min_figures: int = 0
    min_listings: int = 0  # executable Python listings (STD007)
    requires_table: bool = False  # a captioned table (STD004)
    requires_takeaways: bool = False  # a "Key takeaways" box (STD005)
    requires_scripted_figure: bool = False  # a figure drawn by a script in figures/src/ (STD008)
    definitions_section: str = ""  # a section that must hold a | Term | Definition | table (STD006)
    offers_script: bool = False  # publish the page's Python listings as one runnable file
    in_feed: bool = True  # listed in the Atom feed
    blurb: str = ""  # one sentence for the collection's card on the landing page
    card_fields: tuple[str, ...] = CARD_FIELDS

    def __post_init__(self) -> None:
        object.__setattr__(self, "noun", self.noun or self.name)
        default_url = self.folder.removeprefix("docs/") if self.folder.startswith("docs/") else self.folder
        object.__setattr__(self, "url_prefix", (self.url_prefix or default_url).strip("/"))

    @property
    def required_sections(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.sections)

    @property
    def guidance(self) -> dict[str, str]:
        return dict(self.sections)

    @property
    def extra_fields(self) -> dict[str, str]:
        return dict(SERIES_FIELDS) if self.series else {}

    @property
    def in_docs(self) -> bool:
        """Whether the folder is inside docs/ (MkDocs finds it) or beside it (folio mounts it)."""
        return self.folder == "docs" or self.folder.startswith("docs/")


class ModelError(ValueError):
    """A document type declaration that folio cannot use, worded as the fix."""


_FLAGS = ("series", "requires_table", "requires_takeaways", "requires_scripted_figure", "offers_script", "in_feed")
_COUNTS = ("min_words", "max_words", "min_citations", "min_figures", "min_listings")
_TEXTS = ("label", "folder", "noun", "url_prefix", "blurb", "definitions_section")
_LISTS = ("last_part_omits", "card_fields")
DECLARATION_KEYS = ("sections", *_TEXTS, *_FLAGS, *_COUNTS, *_LISTS)


def doc_type_from_config(name: str, entry: Any) -> DocType:
    """A DocType from one entry of `folio: types:` in mkdocs.yml; ModelError names what to fix."""
    where = f"types.{name}"
    if not SLUG_RE.match(str(name)):
        raise ModelError(f"{where}: a type name is a slug such as 'field-note'")
    if not isinstance(entry, dict):
        raise ModelError(f"{where}: expected a mapping of settings such as label and folder")
    unknown = sorted(set(map(str, entry)) - set(DECLARATION_KEYS))
    if unknown:
        raise ModelError(f"{where}: unknown setting {', '.join(map(repr, unknown))}; expected one of {', '.join(DECLARATION_KEYS)}")
    for key in ("label", "folder"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ModelError(f"{where}.{key}: required, a non-empty string")
    values: dict[str, Any] = {"name": name, "sections": _sections(where, entry.get("sections", {}))}
    for key in _TEXTS:
        if key in entry:
            if not isinstance(entry[key], str):
                raise ModelError(f"{where}.{key}: expected a string, got {entry[key]!r}")
            values[key] = entry[key].strip().strip("/") if key in ("folder", "url_prefix") else entry[key].strip()
    for key in _FLAGS:
        if key in entry:
            if not isinstance(entry[key], bool):
                raise ModelError(f"{where}.{key}: expected true or false, got {entry[key]!r}")
            values[key] = entry[key]
    for key in _COUNTS:
        if key in entry:
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ModelError(f"{where}.{key}: expected a whole number >= 0, got {value!r}")
            values[key] = value
    for key in _LISTS:
        if key in entry:
            value = entry[key]
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ModelError(f"{where}.{key}: expected a list of strings, got {value!r}")
            values[key] = tuple(value)
    doc_type = DocType(**values)
    _check_declaration(where, doc_type)
    return doc_type


def _sections(where: str, value: Any) -> tuple[tuple[str, str], ...]:
    """`sections:` is a mapping of heading to guidance, or a list of headings."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple((v, "") for v in value)
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str | None) for k, v in value.items()):
        return tuple((k, v or "") for k, v in value.items())
    raise ModelError(f"{where}.sections: expected a mapping of '## heading' to guidance for authors, or a list of headings")


def _check_declaration(where: str, doc_type: DocType) -> None:
    required = {normalize_heading(s) for s in doc_type.required_sections}
    for omitted in doc_type.last_part_omits:
        if not doc_type.series:
            raise ModelError(f"{where}.last_part_omits: only a type with series: true has a last part")
        if normalize_heading(omitted) not in required:
            raise ModelError(f"{where}.last_part_omits: {omitted!r} is not one of its sections")
    if doc_type.definitions_section and normalize_heading(doc_type.definitions_section) not in required:
        raise ModelError(f"{where}.definitions_section: {doc_type.definitions_section!r} is not one of its sections")
    if doc_type.max_words is not None and doc_type.max_words < doc_type.min_words:
        raise ModelError(f"{where}.max_words: {doc_type.max_words} is below min_words {doc_type.min_words}")
    unknown = sorted(set(doc_type.card_fields) - set(CARD_FIELDS))
    if unknown:
        raise ModelError(f"{where}.card_fields: unknown {', '.join(map(repr, unknown))}; expected some of {', '.join(CARD_FIELDS)}")
    if PurePosixPath(doc_type.folder).is_absolute() or ".." in PurePosixPath(doc_type.folder).parts:
        raise ModelError(f"{where}.folder: {doc_type.folder!r} must be a folder inside the repository")
    if doc_type.in_docs and doc_type.url_prefix != doc_type.folder.removeprefix("docs/"):
        raise ModelError(f"{where}.url_prefix: a folder inside docs/ is published at its own path; remove url_prefix or move the folder out of docs/")


@dataclass(frozen=True)
class SiteModel:
    """The site's collections (one per document type) and the titles of its series."""

    types: tuple[DocType, ...] = ()
    series_titles: dict[str, str] = field(default_factory=dict)
    figures_dir: str = "figures"

    def __post_init__(self) -> None:
        for kind, value_of in (("folder", lambda t: t.folder), ("URL", lambda t: t.url_prefix)):
            seen: dict[str, str] = {}
            for doc_type in self.types:
                value = value_of(doc_type)
                if value in seen:
                    raise ModelError(f"types.{doc_type.name}: {kind} {value!r} is also the {kind} of types.{seen[value]}")
                seen[value] = doc_type.name

    @property
    def by_name(self) -> dict[str, DocType]:
        return {t.name: t for t in self.types}

    def type_for_path(self, rel_path: str) -> DocType | None:
        """The collection a repository-relative path belongs to (index pages belong to none)."""
        path = PurePosixPath(rel_path)
        if path.suffix != ".md" or path.name == "index.md":
            return None
        return next((t for t in self.types if str(path.parent) == t.folder), None)

    def series_title(self, series_id: str) -> str:
        """The declared title of a series, or its id in words ('my-series' reads 'My series')."""
        return self.series_titles.get(series_id) or series_id.replace("-", " ").capitalize()

    @property
    def mounts(self) -> tuple[tuple[str, str], ...]:
        """(folder, site path) of each folder beside docs/ that the site publishes: the
        collections kept outside docs/ and the figures (always at /figures/)."""
        return (*((t.folder, t.url_prefix) for t in self.types if not t.in_docs), (self.figures_dir, "figures"))

    def site_path(self, rel_path: str) -> str:
        """Where a repository file is published, relative to the site root."""
        path = PurePosixPath(rel_path)
        if path.parts and path.parts[0] == "docs":
            return "/".join(path.parts[1:])
        for folder, url in self.mounts:
            if path.is_relative_to(folder):
                return str(PurePosixPath(url, path.relative_to(folder)))
        return rel_path


COMMON_FIELDS: dict[str, str] = {
    "title": "a non-empty string",
    "summary": "one or two sentences (20-300 characters)",
    "description": "the search-result snippet: one sentence of 50-160 characters, not a copy of the summary",
    "date": "a date such as 2026-11-23",
    "updated": "optional: a date on or after `date`",
    "revisions": "optional: a list of `- date: YYYY-MM-DD` / `summary: \"...\"` entries, oldest first, the last one dated `updated`",
    "authors": "a list of author ids from docs/.authors.yml",
    "tags": "a list of lower-case tags",
    "type": "the document type, one of those declared under `folio: types:` in mkdocs.yml",
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


def required_sections(doc_type: DocType, meta: dict[str, Any], last_part: bool = False) -> tuple[str, ...]:
    """The H2 sections a document must have, in order (the last part of a series drops some)."""
    sections = doc_type.required_sections
    if doc_type.series and last_part:
        omitted = {normalize_heading(s) for s in doc_type.last_part_omits}
        sections = tuple(s for s in sections if normalize_heading(s) not in omitted)
    return sections


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def validate_front_matter(meta: dict[str, Any], site_model: SiteModel, known_authors: set[str] | None = None) -> list[FieldError]:
    """Every way `meta` departs from the schema of its type; empty when it is valid."""
    errors: list[FieldError] = []
    for name in REQUIRED_COMMON:
        if name not in meta or meta[name] in (None, ""):
            errors.append(FieldError(name, f"missing; expected {COMMON_FIELDS[name]}"))
    doc_type = site_model.by_name.get(str(meta.get("type")))
    if "type" in meta and doc_type is None:
        declared = ", ".join(site_model.by_name) or "none declared"
        errors.append(FieldError("type", f"unknown type {meta['type']!r}; expected one of the types in mkdocs.yml ({declared})"))
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
    if doc_type.series:
        series = meta.get("series")
        if not (isinstance(series, str) and SLUG_RE.match(series)):
            errors.append(FieldError("series", f"{series!r}; expected {SERIES_FIELDS['series']}"))
        if not is_part_number(meta.get("part")):
            errors.append(FieldError("part", f"{meta.get('part')!r}; expected {SERIES_FIELDS['part']}"))
    return errors


def is_part_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


_SLUG = pymdownx_slugify(case="lower", normalize="NFKD")


def slugify(title: str) -> str:
    """A URL slug from a title: pymdownx's slugs (lower case, accents folded), one hyphen per gap."""
    return re.sub(r"-{2,}", "-", _SLUG(title, "-")).strip("-")
