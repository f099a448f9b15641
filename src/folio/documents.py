"""Documents of the site, read once from disk, and the site they belong to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from folio import frontmatter, model
from folio.scan import Source

CONTENT_ROOTS = ("docs", "articles")


@dataclass
class Document:
    """One Markdown source of the site with its front matter and parsed body."""

    root: Path
    rel_path: str  # repository-relative, POSIX separators
    text: str

    @classmethod
    def load(cls, root: Path, path: Path) -> Document:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
        return cls(root, rel, path.read_text(encoding="utf-8"))

    @cached_property
    def front(self) -> frontmatter.FrontMatter:
        return frontmatter.parse(self.text)

    @property
    def meta(self) -> dict[str, Any]:
        return self.front.meta

    @cached_property
    def source(self) -> Source:
        return Source(self.front.body, self.front.body_line)

    @cached_property
    def doc_type(self) -> model.DocType | None:
        return model.doc_type_for_path(self.rel_path)

    @property
    def slug(self) -> str:
        return PurePosixPath(self.rel_path).stem

    @property
    def site_path(self) -> str:
        """Path of the source relative to the site root, e.g. 'series/x.md' or 'articles/y.md'."""
        parts = PurePosixPath(self.rel_path).parts
        return "/".join(parts[1:]) if parts[0] == "docs" else self.rel_path

    @property
    def is_draft(self) -> bool:
        return self.meta.get("status") == "draft"

    @property
    def url_path(self) -> str:
        """The page's URL relative to the site root, e.g. 'articles/batching/'."""
        folder = self.doc_type.url_prefix if self.doc_type else str(PurePosixPath(self.site_path).parent)
        return f"{folder}/{self.slug}/"

    @property
    def reading_order(self) -> tuple[int, str]:
        """Series parts in order; every other collection newest first (then by slug)."""
        if self.doc_type is model.SERIES_POST:
            part = self.meta.get("part")
            return (part if isinstance(part, int) else 99, self.slug)
        date = self.meta.get("date")
        return (-date.toordinal() if hasattr(date, "toordinal") else 0, self.slug)


def content_files(root: Path) -> list[Path]:
    """Every Markdown source of the site, in a stable order."""
    files: list[Path] = []
    for folder in CONTENT_ROOTS:
        base = root / folder
        if base.is_dir():
            files.extend(p for p in base.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(base).parts))
    return sorted(files)


def load_authors(root: Path) -> set[str]:
    return set(load_author_details(root / "docs" / ".authors.yml"))


@dataclass
class Site:
    """All documents of the repository, read once."""

    root: Path
    documents: list[Document]

    @classmethod
    def load(cls, root: Path) -> Site:
        return cls(root, [Document.load(root, p) for p in content_files(root)])

    @cached_property
    def authors(self) -> set[str]:
        return load_authors(self.root)

    @cached_property
    def by_site_path(self) -> dict[str, Document]:
        return {doc.site_path: doc for doc in self.documents}

    @cached_property
    def collection_documents(self) -> list[Document]:
        return [doc for doc in self.documents if doc.doc_type is not None]


def site_files(root: Path) -> set[str]:
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
    for folder in ("articles", "figures"):
        base = root / folder
        if base.is_dir():
            for path in base.rglob("*"):
                rel = path.relative_to(root)
                if path.is_file() and "src" not in rel.parts[1:2] and not path.name.startswith("."):
                    files.add(rel.as_posix())
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
