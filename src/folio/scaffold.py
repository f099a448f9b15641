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


def _next_part(site: Site) -> int:
    parts = {d.meta.get("part") for d in site.documents if d.doc_type is model.SERIES_POST}
    free = [n for n in range(1, model.SERIES_LENGTH + 1) if n not in parts]
    if not free:
        raise ScaffoldError(f"the series already has all {model.SERIES_LENGTH} parts")
    return free[0]


def render(doc_type: model.DocType, title: str, author: str, today: dt.date, part: int | None = None) -> str:
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
    if doc_type is model.SERIES_POST:
        meta.update({"series": model.SERIES_NAME, "part": part})
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    lines = ["---", head.rstrip(), "---", ""]
    for section in model.required_sections(doc_type, meta):
        lines += [f"## {section}", "", f"{GUIDANCE_MARK} {doc_type.guidance.get(section, 'Write this section.')}", ""]
        if doc_type is model.ARTICLE and section == doc_type.required_sections[0]:
            lines += ["## Body sections", "", f"{GUIDANCE_MARK} replace with your own sections: the mechanism, a worked example, a table and figures.", ""]
    return "\n".join(lines)


def create(root: Path, type_name: str, title: str, today: dt.date | None = None) -> Path:
    doc_type = model.DOC_TYPES[type_name]
    slug = model.slugify(title)
    if not slug:
        raise ScaffoldError(f"the title {title!r} gives an empty slug; use letters or digits in the title")
    site = Site.load(root)
    taken = {d.slug: d.rel_path for d in site.documents}
    if slug in taken:
        raise ScaffoldError(f"slug {slug!r} is already used by {taken[slug]}; choose another title")
    titles = {str(d.meta.get("title", "")).casefold(): d.rel_path for d in site.collection_documents}
    if title.casefold() in titles:
        raise ScaffoldError(f"title {title!r} is already used by {titles[title.casefold()]}; choose another title")
    path = root / doc_type.folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path.relative_to(root)} already exists; it was not changed")
    part = _next_part(site) if doc_type is model.SERIES_POST else None
    author = _git_author(root, load_authors(root))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(doc_type, title, author, today or dt.date.today(), part), encoding="utf-8")
    return path.relative_to(root)
