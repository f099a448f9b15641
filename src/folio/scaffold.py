"""`folio new`: a document skeleton with valid front matter and its type's required sections."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import yaml

from folio import model
from folio.checks.content import GUIDANCE_MARK
from folio.documents import Site, load_authors


class ScaffoldError(Exception):
    """A reason the skeleton cannot be created, worded for the person who asked."""


def _git_author(root: Path, known: set[str]) -> str:
    """The author id for the byline: the git user's id if it is in docs/.authors.yml."""
    try:
        name = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        name = ""
    candidate = model.slugify(name)
    return candidate if candidate in known else "llm-systems-notes"


def _series_and_part(site: Site, series: str | None) -> tuple[str, int]:
    """The series a new part joins (the one named, or the site's only series) and its next part."""
    if series is None:
        known = sorted(set(site.series) | set(site.model.series_titles))  # with parts, or titled in mkdocs.yml
        if len(known) != 1:
            listed = ", ".join(known) or "none yet"
            raise ScaffoldError(f"name the series with --series ID (existing series: {listed}; a new id starts a new series)")
        series = known[0]
    if not model.SLUG_RE.match(series):
        raise ScaffoldError(f"series id {series!r} is not a slug; use lower-case words joined by hyphens, e.g. 'serving-at-scale'")
    taken = {d.part for d in site.series.get(series, [])}
    return series, next(n for n in range(1, len(taken) + 2) if n not in taken)


def render(doc_type: model.DocType, title: str, author: str, today: dt.date, series: tuple[str, int] | None = None) -> str:
    meta: dict[str, object] = {
        "title": title,
        "summary": f"{GUIDANCE_MARK} one or two sentences on what the reader learns.",
        "description": f"{GUIDANCE_MARK} one sentence of 50 to 160 characters for search results.",
        "date": today,
        "authors": [author],
        "tags": ["llm"],
        "type": doc_type.name,
        "status": "draft",  # a new file never breaks `make build`; publish it when it passes the checks
    }
    if series is not None:
        meta.update({"series": series[0], "part": series[1]})
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    lines = ["---", head.rstrip(), "---", ""]
    # A new part is the last of its series until another follows it.
    for index, section in enumerate(model.required_sections(doc_type, meta, last_part=True)):
        lines += [f"## {section}", "", f"{GUIDANCE_MARK} {doc_type.guidance.get(section) or 'Write this section.'}", ""]
        if index == 0 and len(doc_type.required_sections) <= 2:  # room for the body between two bookends
            lines += ["## Body sections", "", f"{GUIDANCE_MARK} replace with your own sections: the mechanism, a worked example, a table and figures.", ""]
    return "\n".join(lines)


def create(root: Path, type_name: str, title: str, today: dt.date | None = None, series: str | None = None) -> Path:
    site = Site.load(root)
    doc_type = site.model.by_name.get(type_name)
    if doc_type is None:
        raise ScaffoldError(f"unknown type {type_name!r}; mkdocs.yml declares {', '.join(site.model.by_name) or 'no types'} under `folio: types:`")
    if series is not None and not doc_type.series:
        raise ScaffoldError(f"--series applies to a type whose documents form series; {type_name!r} does not (series: true in mkdocs.yml)")
    slug = model.slugify(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} gives an empty slug; use letters or digits in the title")
    taken = {d.slug: d.rel_path for d in site.documents}
    if slug in taken:
        raise ScaffoldError(f"slug {slug!r} is already used by {taken[slug]}; choose another title")
    titles = {str(d.meta.get("title", "")).casefold(): d.rel_path for d in site.collection_documents}
    if title.casefold() in titles:
        raise ScaffoldError(f"title {title!r} is already used by {titles[title.casefold()]}; choose another title")
    path = root / doc_type.folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root)} already exists; it was not changed")
    position = _series_and_part(site, series) if doc_type.series else None
    author = _git_author(root, load_authors(root))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(doc_type, title, author, today or dt.date.today(), position), encoding="utf-8")
    return path.relative_to(root)
