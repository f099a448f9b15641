"""FIG: images exist and have alt text and a numbered caption; ids are unique and referenced."""

from __future__ import annotations

from folio.documents import Document, resolve_link
from folio.problems import Problem

ALT_MAX = 150  # screen readers read alt text in one breath; the caption and the text carry the detail


def check_figures(doc: Document, files: set[str]) -> list[Problem]:
    source = doc.source
    path = doc.rel_path
    problems = []
    captions = source.captions
    for link in source.images:
        where = (path, link.line, link.col)
        if not link.text.strip():
            problems.append(Problem(*where, "FIG002", f"image '{link.target}' has no alt text; describe what the figure shows in ![...]"))
        elif len(link.text.strip()) > ALT_MAX:
            problems.append(
                Problem(*where, "FIG008", f"alt text of '{link.target}' is {len(link.text.strip())} characters; say what the figure shows in at most {ALT_MAX} and leave the detail to the caption")
            )
        if not link.target.startswith(("http://", "https://", "data:")):
            site_path, _ = resolve_link(doc.site_path, link.target)
            if site_path is None or site_path not in files:
                problems.append(Problem(*where, "FIG001", f"image '{link.target}' does not exist; put the file in figures/ and link '/figures/<name>'"))
        if doc.doc_type is not None and not any(
            c.kind == "figure" and c.captioned_line is not None and c.captioned_line <= link.line < c.line for c in captions
        ):
            problems.append(Problem(*where, "FIG003", "image has no caption; add a '/// figure-caption | #fig-<name>' block right after it"))
    ids = {c.ident for c in captions if c.ident}
    referenced = {link.target[1:] for link in source.anchor_links}
    seen: set[str] = set()
    for caption in captions:
        where = (path, caption.line, 1)
        if caption.ident is None:
            problems.append(Problem(*where, "FIG003", f"{caption.kind} caption has no id; write '/// {caption.kind}-caption | #{caption.kind[:3]}-<name>'"))
        elif caption.ident in seen:
            problems.append(Problem(*where, "FIG007", f"id '{caption.ident}' is already used by another caption on this page; choose a unique id"))
        elif caption.ident not in referenced and doc.doc_type is not None:
            problems.append(Problem(*where, "FIG004", f"{caption.kind} '{caption.ident}' is never referenced; cite it in the text as [](#{caption.ident})"))
        if caption.ident:
            seen.add(caption.ident)
    for xref in source.xrefs:
        if xref.target[1:] not in ids:
            problems.append(
                Problem(path, xref.line, xref.col, "FIG006", f"cross-reference to unknown id '{xref.target[1:]}'; no figure or table on this page has that id")
            )
    return problems


def unused_figures(docs: list[Document], files: set[str]) -> list[Problem]:
    used: set[str] = set()
    for doc in docs:
        for link in doc.source.links:
            site_path, _ = resolve_link(doc.site_path, link.target)
            if site_path:
                used.add(site_path)
    # A figure's phone layout (x-narrow.svg, written by figures/src/_style.save) is used with it.
    used |= {name.removesuffix(".svg") + "-narrow.svg" for name in used if name.endswith(".svg")}
    return [
        Problem(name, 1, 1, "FIG005", "no document uses this file; reference it or delete it")
        for name in sorted(files)
        if name.startswith("figures/") and name not in used
    ]
