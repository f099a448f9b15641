"""CIT: citations against the BibTeX library, and the library's own health."""

from __future__ import annotations

from folio.bib import Bibliography, entry_problems
from folio.documents import Document
from folio.problems import Problem


def check_citations(doc: Document, bib: Bibliography) -> list[Problem]:
    return [
        Problem(doc.rel_path, c.line, c.col, "CIT001", f"unknown citation key {c.key!r}; add it to references/*.bib or fix the key")
        for c in doc.source.citations
        if c.key not in bib.entries
    ]


def check_library(bib: Bibliography, cited: set[str] | None) -> list[Problem]:
    """Parse errors, incomplete entries, and (when `cited` is given) entries no document cites."""
    problems = list(bib.problems)
    for entry in bib.entries.values():
        problems += entry_problems(entry)
        if cited is not None and entry.key not in cited:
            problems.append(Problem(entry.path, entry.line, 1, "CIT006", f"entry {entry.key!r} is not cited by any document; cite it or remove it"))
    return problems
