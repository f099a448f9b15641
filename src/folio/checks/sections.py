"""SEC: required sections per type, in order; heading hierarchy; empty sections."""

from __future__ import annotations

from folio import model
from folio.documents import Document
from folio.problems import Problem


def check_sections(doc: Document) -> list[Problem]:
    problems = _hierarchy(doc) + _empty_sections(doc) + _glued_to_code(doc)
    if doc.doc_type is not None:
        problems += _required(doc, doc.doc_type)
    return problems


def _hierarchy(doc: Document) -> list[Problem]:
    problems = []
    previous = 1
    for heading in doc.source.headings:
        if heading.level == 1 and doc.doc_type is not None:
            problems.append(
                Problem(doc.rel_path, heading.line, 1, "SEC003", f"'# {heading.text}' is a second title; the title comes from front matter, use '##' for sections")
            )
        elif heading.level > previous + 1:
            problems.append(
                Problem(doc.rel_path, heading.line, 1, "SEC004", f"heading level {heading.level} after level {previous}; use {'#' * (previous + 1)} instead")
            )
        previous = max(heading.level, 1)
    return problems


def _empty_sections(doc: Document) -> list[Problem]:
    problems = []
    lines = doc.text.split("\n")
    headings = doc.source.headings
    for index, heading in enumerate(headings):
        end = headings[index + 1].line - 1 if index + 1 < len(headings) else len(lines)
        nested = index + 1 < len(headings) and headings[index + 1].level > heading.level
        body = [line for line in lines[heading.line : end] if line.strip()]
        if not body and not nested:
            problems.append(Problem(doc.rel_path, heading.line, 1, "SEC005", f"section '{heading.text}' is empty; write it or remove the heading"))
    return problems


def _required(doc: Document, doc_type: model.DocType) -> list[Problem]:
    required = model.required_sections(doc_type, doc.meta, doc.last_part)
    h2 = [h for h in doc.source.headings if h.level == 2]
    found = {model.normalize_heading(h.text): h for h in h2}
    problems = []
    for name in required:
        if model.normalize_heading(name) not in found:
            where = _insert_line(doc, h2, required, name)
            problems.append(
                Problem(doc.rel_path, where, 1, "SEC001", f"missing required section '## {name}' ({doc_type.name} sections, in order: {', '.join(required)})")
            )
    present = [h for h in h2 if model.normalize_heading(h.text) in {model.normalize_heading(r) for r in required}]
    order = [model.normalize_heading(r) for r in required]
    positions = [order.index(model.normalize_heading(h.text)) for h in present]
    for k in range(1, len(positions)):
        if positions[k] < positions[k - 1]:
            h = present[k]
            problems.append(
                Problem(doc.rel_path, h.line, 1, "SEC002", f"section '{h.text}' is out of order; expected order: {', '.join(required)}")
            )
            break
    if required and h2 and model.normalize_heading(h2[0].text) != order[0]:
        problems.append(Problem(doc.rel_path, h2[0].line, 1, "SEC002", f"the first section must be '## {required[0]}', found '## {h2[0].text}'"))
    if required and h2 and model.normalize_heading(h2[-1].text) != order[-1]:
        problems.append(Problem(doc.rel_path, h2[-1].line, 1, "SEC002", f"the last section must be '## {required[-1]}', found '## {h2[-1].text}'"))
    return problems


def _insert_line(doc: Document, h2: list, required: tuple[str, ...], name: str) -> int:
    """The line of the heading after which the missing section belongs."""
    before = {model.normalize_heading(r) for r in required[: required.index(name)]}
    line = doc.front.body_line
    for heading in h2:
        if model.normalize_heading(heading.text) in before:
            line = heading.line
    return line


BLOCK_STARTS = ("```", "~~~", "///", "<!--")


def _glued_to_code(doc: Document) -> list[Problem]:
    """Text on the line right after a closing fence is not a paragraph: Markdown renders it bare,
    outside any <p>, so it loses the paragraph's spacing and link styling."""
    source = doc.source
    problems = []
    for start, end, _ in source._fenced:
        following = source.lines[end + 1] if end + 1 < len(source.lines) else ""
        if end > start and following.strip() and not following.lstrip().startswith(BLOCK_STARTS):
            line = source.file_line(end + 1)
            problems.append(Problem(doc.rel_path, line, 1, "SEC006", "text right after a code block is not a paragraph; add a blank line before it"))
    return problems
