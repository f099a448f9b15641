"""Documents of the site, read once from disk, and the site they belong to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from folio import frontmatter, model
from folio.config import load_site_model
from folio.scan import Source


@dataclass
class Document:
    """One Markdown source of the site with its front matter and parsed body."""

    root: Path
    rel_path: str  # repository-relative, POSIX separators
    text: str
    site_path: str = ""  # where the site publishes it, e.g. 'series/x.md' or 'articles/y.md'
    doc_type: model.DocType | None = None  # the collection it belongs to, from the site model
    last_part: bool = False  # the last published part of its series (some sections are dropped)

    @classmethod
    def load(cls, root: Path, path: Path, site_model: model.SiteModel | None = None) -> Document:
        """One file of the site at `root`; the model comes from root/mkdocs.yml unless given."""
        if site_model is None:
            site_model = load_site_model(root) if (root / "mkdocs.yml").exists() else model.SiteModel()
        rel = path.resolve().relative_to(root.resolve()).as_posix()
        return cls(root, rel, path.read_text(encoding="utf-8"), site_model.site_path(rel), site_model.type_for_path(rel))

    @cached_property
    def front(self) -> frontmatter.FrontMatter:
        return frontmatter.parse(self.text)

    @property
    def meta(self) -> dict[str, Any]:
        return self.front.meta

    @cached_property
    def source(self) -> Source:
        return Source(self.front.body, self.front.body_line)

    @property
    def slug(self) -> str:
        return PurePosixPath(self.rel_path).stem

    @property
    def is_draft(self) -> bool:
        return self.meta.get("status") == "draft"

    @property
    def url_path(self) -> str:
        """The page's URL relative to the site root, e.g. 'articles/batching/'."""
        folder = self.doc_type.url_prefix if self.doc_type else str(PurePosixPath(self.site_path).parent)
        return f"{folder}/{self.slug}/"

    def with_body(self, body: str) -> Document:
        """The same document with another body (what MkDocs will render), front matter kept,
        so that reported lines still count from the top of the file."""
        head = "".join(self.text.splitlines(keepends=True)[: self.front.body_line - 1])
        return Document(self.root, self.rel_path, head + body, self.site_path, self.doc_type, self.last_part)

    @property
    def series_id(self) -> str | None:
        """The series this document is a part of, for a type whose documents form series."""
        series = self.meta.get("series")
        return series if self.doc_type is not None and self.doc_type.series and isinstance(series, str) else None

    @property
    def part(self) -> int | None:
        part = self.meta.get("part")
        return part if self.series_id is not None and model.is_part_number(part) else None

    @property
    def reading_order(self) -> tuple[str, int, str]:
        """Series by id and their parts in order; every other collection newest first (then by slug)."""
        if self.series_id is not None:
            return (self.series_id, self.part or 10**6, self.slug)
        date = self.meta.get("date")
        return ("", -date.toordinal() if hasattr(date, "toordinal") else 0, self.slug)


def content_files(root: Path, site_model: model.SiteModel) -> list[Path]:
    """Every Markdown source of the site, in a stable order."""
    files: list[Path] = []
    for folder in ("docs", *(t.folder for t in site_model.types if not t.in_docs)):
        base = root / folder
        if base.is_dir():
            files.extend(p for p in base.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(base).parts))
    return sorted(set(files))


def load_authors(root: Path) -> set[str]:
    return set(load_author_details(root / "docs" / ".authors.yml"))


@dataclass
class Site:
    """All documents of the repository, read once."""

    root: Path
    documents: list[Document]
    model: model.SiteModel = field(default_factory=model.SiteModel)

    def __post_init__(self) -> None:
        for parts in self.series.values():
            published = [d.part for d in parts if not d.is_draft and not d.front.error]
            last = max((p for p in published if p is not None), default=0)
            for doc in parts:
                doc.last_part = doc.part is not None and doc.part >= last

    @classmethod
    def load(cls, root: Path, site_model: model.SiteModel | None = None) -> Site:
        """Every document under the site's folders; the model comes from mkdocs.yml unless given."""
        site_model = site_model if site_model is not None else load_site_model(root)
        return cls(root, [Document.load(root, p, site_model) for p in content_files(root, site_model)], site_model)

    @classmethod
    def from_sources(cls, root: Path, site_model: model.SiteModel, sources: Iterable[tuple[str, str]]) -> Site:
        """A site of the given (repository path, text) sources, e.g. the pages MkDocs read."""
        documents = [Document(root, rel, text, site_model.site_path(rel), site_model.type_for_path(rel)) for rel, text in sources]
        return cls(root, sorted(documents, key=lambda d: d.rel_path), site_model)

    @cached_property
    def series(self) -> dict[str, list[Document]]:
        """Each series' documents (drafts included) in part order, by series id."""
        groups: dict[str, list[Document]] = defaultdict(list)
        for doc in self.documents:
            if doc.series_id is not None:
                groups[doc.series_id].append(doc)
        return {name: sorted(docs, key=lambda d: d.reading_order) for name, docs in sorted(groups.items())}

    @cached_property
    def authors(self) -> set[str]:
        return load_authors(self.root)

    @cached_property
    def by_site_path(self) -> dict[str, Document]:
        return {doc.site_path: doc for doc in self.documents}

    @cached_property
    def collection_documents(self) -> list[Document]:
        return [doc for doc in self.documents if doc.doc_type is not None]


def site_files(root: Path, site_model: model.SiteModel) -> set[str]:
    """Site-relative paths of every file the site publishes (documents, figures, assets)."""
    files: set[str] = set()
    docs = root / "docs"
    if docs.is_dir():
        for path in docs.rglob("*"):
            rel = path.relative_to(docs)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                files.add(rel.as_posix())
    if (root / "CONTRIBUTING.md").exists():
        files.add("contributing.md")  # the plugin publishes CONTRIBUTING.md at this path
    for folder, url in site_model.mounts:
        base = root / folder
        if base.is_dir():
            for path in base.rglob("*"):
                rel = path.relative_to(base)
                if path.is_file() and rel.parts[0] != "src" and not path.name.startswith("."):
                    files.add(f"{url}/{rel.as_posix()}")
    return files


def resolve_link(from_site_path: str, target: str) -> tuple[str | None, str]:
    """(site path or None when the link leaves the site, anchor) of an internal link."""
    path, _, anchor = target.partition("#")
    path = path.split("?", 1)[0]
    if not path:
        return from_site_path, anchor
    base = [] if path.startswith("/") else list(PurePosixPath(from_site_path).parent.parts)
    for part in PurePosixPath(path.lstrip("/")).parts:
        if part == "..":
            if not base:
                return None, anchor
            base.pop()
        elif part != ".":
            base.append(part)
    return "/".join(base), anchor


def load_author_details(path: Path) -> dict[str, dict[str, str]]:
    """Author records by id from docs/.authors.yml."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): {str(f): str(v) for f, v in (v or {}).items()} for k, v in (data.get("authors") or {}).items()}
