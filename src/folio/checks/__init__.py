"""The content checks. Pure functions from documents to problems; one rule, one implementation.

The MkDocs plugin runs `build_problems` on every page it builds; `folio check` and the
tests run `check_site`. Both call the same rule functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from folio import bib as biblib
from folio.checks.citations import check_citations, check_library
from folio.checks.content import check_code_width, check_html, check_spelling, check_todo
from folio.checks.figures import check_figures, unused_figures
from folio.checks.frontmatter import check_front_matter, check_unique
from folio.checks.links import check_links, check_online
from folio.checks.math import check_math
from folio.checks.measured import check_measured, check_results_files
from folio.checks.sections import check_sections
from folio.checks.standard import check_standard
from folio.documents import Document, Site, site_files
from folio.library_cache import load_cached
from folio.measured import Measurements
from folio.problems import Problem


@dataclass
class Context:
    """What the per-document rules need to know about the rest of the site."""

    site: Site
    bibliography: biblib.Bibliography

    @cached_property
    def files(self) -> set[str]:
        return site_files(self.site.root, self.site.model)

    @cached_property
    def scripts_text(self) -> str:
        folder = self.site.root / self.site.model.figures_dir / "src"
        return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py"))) if folder.is_dir() else ""

    @cached_property
    def measurements(self) -> Measurements:
        return Measurements.load(self.site.root)

    @classmethod
    def load(cls, root: Path) -> Context:
        return cls(Site.load(root), load_cached(root))


def build_problems(doc: Document, ctx: Context) -> list[Problem]:
    """The rules that fail the build: schema, sections, citations, figures, unsafe HTML."""
    problems = check_front_matter(doc, ctx.site.model, ctx.site.authors) if doc.doc_type is not None else []
    if doc.front.error:
        return problems
    problems += check_sections(doc)
    problems += check_citations(doc, ctx.bibliography)
    problems += check_figures(doc, ctx.files)
    problems += check_html(doc)
    problems += check_code_width(doc)
    problems += check_math(doc)
    problems += check_measured(doc, ctx.site.root, ctx.measurements)
    return problems


def document_problems(doc: Document, ctx: Context) -> list[Problem]:
    """Every per-document rule."""
    problems = build_problems(doc, ctx)
    if doc.front.error:
        return problems
    problems += check_standard(doc, ctx.scripts_text)
    problems += check_links(doc, ctx.files, ctx.site.by_site_path)
    problems += check_todo(doc)
    problems += check_spelling(doc)
    return problems


def check_site(ctx: Context, only: list[Document] | None = None, online: bool = False) -> list[Problem]:
    """All rules over the whole site, or over `only` (site-wide rules then skip unrelated files)."""
    documents = only if only is not None else ctx.site.documents
    problems: list[Problem] = []
    for doc in documents:
        problems += document_problems(doc, ctx)
    collection = [d for d in ctx.site.collection_documents if not d.front.error]
    selected = {d.rel_path for d in documents}
    problems += [p for p in check_unique(collection) if p.path in selected]
    if only is None:
        cited = {c.key for d in ctx.site.documents for c in d.source.citations}
        problems += check_library(ctx.bibliography, cited)
        problems += unused_figures(ctx.site.documents, ctx.files)
        problems += check_results_files(ctx.measurements)
    else:
        cited = {c.key for d in documents for c in d.source.citations}
        entries = {ctx.bibliography.entries[k].path for k in cited if k in ctx.bibliography.entries}
        problems += [p for p in check_library(ctx.bibliography, None) if p.code in ("CIT002", "CIT007") or p.path in entries]
    if online:
        problems += check_online(documents)
    return sorted(set(problems))
