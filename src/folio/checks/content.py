"""HTML (unsafe raw HTML), TODO (template notes and markers) and SPL (spelling) rules."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from folio.documents import Document
from folio.problems import Problem

GUIDANCE_MARK = "TODO(folio):"
UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed|style)\b", re.I)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\s(on[a-z]+)\s*=", re.I | re.S)
JS_URL = re.compile(r"javascript\s*:", re.I)
MARKER = re.compile(r"\b(TODO|FIXME|XXX)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z']*[A-Za-z]")


def check_html(doc: Document) -> list[Problem]:
    prose = doc.source.prose
    problems = []
    for match in UNSAFE_TAG.finditer(prose):
        problems.append(Problem(doc.rel_path, *doc.source.locate(match.start()), "HTML001", f"<{match.group(1).lower()}> is not allowed in content; use Markdown or a figure"))
    for match in EVENT_HANDLER.finditer(prose):
        problems.append(Problem(doc.rel_path, *doc.source.locate(match.start(1)), "HTML002", f"inline event handler '{match.group(1)}=' is not allowed; remove it"))
    for match in JS_URL.finditer(prose):
        problems.append(Problem(doc.rel_path, *doc.source.locate(match.start()), "HTML003", "javascript: URLs are not allowed; link to a page or remove the link"))
    return problems


CODE_COLUMNS = 88  # what a code block shows without scrolling at 1280 px (tests/browser/test_typography.py)


def check_code_width(doc: Document) -> list[Problem]:
    """Code and output blocks fit the column: a line that scrolls sideways hides its end."""
    problems = []
    for block in doc.source.code_blocks:
        for offset, line in enumerate(block.code.splitlines()):
            if len(line) > CODE_COLUMNS:
                problems.append(
                    Problem(doc.rel_path, block.first_line + offset, CODE_COLUMNS + 1, "EXE005", f"code line of {len(line)} columns; wrap it at {CODE_COLUMNS} (it would scroll sideways)")
                )
    return problems


def check_todo(doc: Document) -> list[Problem]:
    problems = []
    for index, line in enumerate(doc.text.split("\n"), start=1):
        col = line.find(GUIDANCE_MARK)
        if col >= 0:
            note = line[col + len(GUIDANCE_MARK) :].strip()
            problems.append(Problem(doc.rel_path, index, col + 1, "TODO001", f"unreplaced guidance note: {note}"))
    if doc.is_draft:
        return problems
    prose = doc.source.prose
    for match in MARKER.finditer(prose):
        if prose.startswith(GUIDANCE_MARK, match.start()):
            continue
        problems.append(Problem(doc.rel_path, *doc.source.locate(match.start()), "TODO002", f"{match.group(1)} marker in a published document; resolve it or set status: draft"))
    return problems


@cache
def _dictionary() -> dict[str, str]:
    import codespell_lib

    data = Path(codespell_lib.__file__).parent / "data" / "dictionary.txt"
    words: dict[str, str] = {}
    for line in data.read_text(encoding="utf-8").splitlines():
        wrong, _, right = line.partition("->")
        words[wrong.strip().lower()] = right.strip().rstrip(",")
    return words


@cache
def _project_words(root: Path) -> frozenset[str]:
    path = root / ".codespell-words"
    if not path.exists():
        return frozenset()
    return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#"))


def check_spelling(doc: Document) -> list[Problem]:
    dictionary = _dictionary()
    allowed = _project_words(doc.root)
    text = doc.source.prose
    problems = []
    for match in WORD.finditer(text):
        word = match.group(0).lower()
        fix = dictionary.get(word)
        if fix is None or word in allowed:
            continue
        problems.append(
            Problem(doc.rel_path, *doc.source.locate(match.start()), "SPL001", f"'{match.group(0)}' may be misspelled; did you mean {fix}? (or add it to .codespell-words)")
        )
    return problems
