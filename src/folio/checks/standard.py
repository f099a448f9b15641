"""STD: the measurable parts of the writing standard (WRITING.md), per document type."""

from __future__ import annotations

import re
from pathlib import Path

from folio import model
from folio.documents import Document
from folio.problems import Problem

TAKEAWAYS_BOX = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*\w+\s+\"key takeaways\"", re.I | re.M)


def check_standard(doc: Document, scripts_text: str) -> list[Problem]:
    doc_type = doc.doc_type
    if doc_type is None or doc.front.error or doc.is_draft:
        return []  # a draft is work in progress: the counts apply once it is published
    line = doc.front.body_line
    path = doc.rel_path
    problems = []
    words = doc.source.word_count
    if words < doc_type.min_words or (doc_type.max_words and words > doc_type.max_words):
        bounds = f"{doc_type.min_words}-{doc_type.max_words}" if doc_type.max_words else f">= {doc_type.min_words}"
        problems.append(Problem(path, line, 1, "STD001", f"{words} words of prose; a {doc_type.name} has {bounds}"))
    cited = {c.key for c in doc.source.citations}
    if len(cited) < doc_type.min_citations:
        problems.append(Problem(path, line, 1, "STD002", f"{len(cited)} distinct citations; a {doc_type.name} needs at least {doc_type.min_citations}"))
    figures = [c for c in doc.source.captions if c.kind == "figure"]
    if len(figures) < doc_type.min_figures:
        problems.append(Problem(path, line, 1, "STD003", f"{len(figures)} numbered figures; a {doc_type.name} needs at least {doc_type.min_figures}"))
    if doc_type.definitions_section:
        problems += _definitions_table(doc, doc_type.definitions_section)
    if doc_type.min_listings:
        runnable = [b for b in doc.source.code_blocks if b.lang == "python" and not b.gpu_only]
        if len(runnable) < doc_type.min_listings:
            problems.append(Problem(path, line, 1, "STD007", f"{len(runnable)} executable Python listings; a {doc_type.name} needs at least {doc_type.min_listings}"))
    return problems + _required_elements(doc, doc_type, scripts_text)


def _required_elements(doc: Document, doc_type: model.DocType, scripts_text: str) -> list[Problem]:
    path, line = doc.rel_path, doc.front.body_line
    problems = []
    if doc_type.requires_table and not any(c.kind == "table" for c in doc.source.captions):
        problems.append(Problem(path, line, 1, "STD004", "no captioned table; add a table followed by a '/// table-caption | #tab-...' block"))
    if doc_type.requires_takeaways and not TAKEAWAYS_BOX.search(doc.source.prose):
        problems.append(Problem(path, line, 1, "STD005", 'no Key takeaways box; add `!!! tip "Key takeaways"` with the main points'))
    if doc_type.requires_scripted_figure:
        images = [Path(link.target).stem for link in doc.source.links if link.is_image and "figures/" in link.target]
        if not any(f'"{name}"' in scripts_text or f"'{name}'" in scripts_text for name in images):
            problems.append(Problem(path, line, 1, "STD008", "no figure is produced by a script in figures/src/; add one that computes its data"))
    return problems


def _definitions_table(doc: Document, section: str) -> list[Problem]:
    headings = [h for h in doc.source.headings if h.level == 2]
    target = next((h for h in headings if model.normalize_heading(h.text) == model.normalize_heading(section)), None)
    if target is None:
        return []
    following = [h.line for h in headings if h.line > target.line]
    end = following[0] if following else 10**9
    for token in doc.source.tokens:
        if token.type == "table_open" and token.map and target.line <= doc.source.file_line(token.map[0]) < end:
            return []
    return [Problem(doc.rel_path, target.line, 1, "STD006", f"'{section}' has no table; add a | Term | Definition | table")]
