"""FM: front matter against the schema in model.py, and site-wide uniqueness."""

from __future__ import annotations

from collections import defaultdict

from folio import model
from folio.documents import Document
from folio.problems import Problem


def check_front_matter(doc: Document, site_model: model.SiteModel, authors: set[str]) -> list[Problem]:
    front = doc.front
    if front.error:
        return [Problem(doc.rel_path, front.error_line, 1, "FM001", f"{front.error}; fix the YAML between the '---' lines")]
    if not front.present:
        return [Problem(doc.rel_path, 1, 1, "FM002", "no front matter; start the file with a '---' block (run `folio new` for a template)")]
    problems = []
    for error in model.validate_front_matter(doc.meta, site_model, authors):
        line = front.field_line(doc.text, error.field)
        problems.append(Problem(doc.rel_path, line, 1, "FM003", f"{error.field}: {error.message}"))
    declared = doc.meta.get("type")
    if doc.doc_type is not None and declared in site_model.by_name and declared != doc.doc_type.name:
        line = front.field_line(doc.text, "type")
        problems.append(
            Problem(doc.rel_path, line, 1, "FM003", f"type: {declared!r} does not match the folder {doc.doc_type.folder}/; expected {doc.doc_type.name!r}")
        )
    return problems


def check_unique(docs: list[Document]) -> list[Problem]:
    """Titles and slugs must be unique across the site; series parts too."""
    problems = []
    for label, code, value_of in (
        ("title", "FM004", lambda d: str(d.meta.get("title", "")).strip().casefold()),
        ("slug", "FM005", lambda d: d.slug),
        ("series part", "FM003", lambda d: f"{d.series_id} {d.part}" if d.part is not None else ""),
    ):
        seen: dict[str, list[Document]] = defaultdict(list)
        for doc in docs:
            value = value_of(doc)
            if value:
                seen[value].append(doc)
        for group in seen.values():
            for doc in group[1:]:
                line = doc.front.field_line(doc.text, "title" if label == "title" else "part") if label != "slug" else 1
                problems.append(Problem(doc.rel_path, line, 1, code, f"{label} is also used by {group[0].rel_path}; choose another {label}"))
    return problems
