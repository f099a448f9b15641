"""The BibTeX library: parsed once, with file and line for every entry and error."""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pybtex.errors
from pybtex.backends.plaintext import Backend as PlainTextBackend
from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.database.input.bibtex import Parser as BibTeXParser  # direct: the plugin lookup is slow
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError

from folio.problems import Problem

ENTRY_START = re.compile(r"^[ \t]*@(?P<type>\w+)\s*\{\s*(?P<key>[^,\s]+)\s*,", re.M)
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
IDENTIFIERS = ("doi", "eprint", "url")
NON_ENTRY_TYPES = {"comment", "preamble", "string"}


@dataclass(frozen=True)
class BibEntry:
    key: str
    path: str  # repository-relative
    line: int
    entry: Entry

    def field(self, name: str) -> str:
        return str(self.entry.fields.get(name, "")).strip()


@dataclass
class Bibliography:
    entries: dict[str, BibEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    @property
    def data(self) -> BibliographyData:
        return BibliographyData(entries={k: e.entry for k, e in self.entries.items()})


def bib_files(root: Path) -> list[Path]:
    folder = root / "references"
    return sorted(folder.rglob("*.bib")) if folder.is_dir() else []


def read_sources(root: Path) -> dict[Path, bytes]:
    """Every .bib file's bytes, read once per build and shared by the digest and the parse."""
    return {path: path.read_bytes() for path in bib_files(root)}


def content_digest(sources: dict[Path, bytes]) -> str:
    """Changes when a file's content, name or presence changes, not when it is only touched."""
    digest = hashlib.sha256()
    for path, data in sources.items():
        digest.update(path.as_posix().encode())
        digest.update(data)
    return digest.hexdigest()


def _entry_lines(text: str) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    for match in ENTRY_START.finditer(text):
        if match.group("type").lower() in NON_ENTRY_TYPES:
            continue
        lines.setdefault(match.group("key"), []).append(text.count("\n", 0, match.start()) + 1)
    return lines


def _parse(text: str) -> BibliographyData:
    """Parse strictly (syntax errors raise); repeated keys, reported separately, are tolerated."""
    previous = pybtex.errors.strict
    try:
        pybtex.errors.set_strict_mode(True)
        try:
            return BibTeXParser().parse_string(text)
        except BibliographyDataError:
            pybtex.errors.set_strict_mode(False)
            with contextlib.redirect_stderr(io.StringIO()):
                return BibTeXParser().parse_string(text)
    finally:
        pybtex.errors.set_strict_mode(previous)


def load(root: Path, sources: dict[Path, bytes] | None = None) -> Bibliography:
    """Parse every references/*.bib file (or the bytes given); problems carry file and line."""
    sources = read_sources(root) if sources is None else sources
    bib = Bibliography(digest=content_digest(sources))
    for path, raw in sources.items():
        rel = path.relative_to(root).as_posix()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            bib.problems.append(Problem(rel, line, 1, "CIT002", "this line is not valid UTF-8; save the file as UTF-8"))
            continue
        lines = _entry_lines(text)
        try:
            data = _parse(text)
        except PybtexSyntaxError as exc:
            reason = str(exc).split(": ", 1)[-1]
            bib.problems.append(Problem(rel, exc.lineno or 1, 1, "CIT002", f"BibTeX syntax error: {reason}; fix the entry near this line"))
            continue
        except (BibliographyDataError, ValueError) as exc:
            bib.problems.append(Problem(rel, 1, 1, "CIT002", f"BibTeX error: {exc}"))
            continue
        for key, entry_lines in lines.items():
            for extra in entry_lines[1:]:
                bib.problems.append(Problem(rel, extra, 1, "CIT007", f"key {key!r} is defined twice in this file (first at line {entry_lines[0]}); remove one"))
        for key, entry in data.entries.items():
            line = lines.get(key, [1])[0]
            if key in bib.entries:
                first = bib.entries[key]
                bib.problems.append(
                    Problem(rel, line, 1, "CIT007", f"key {key!r} is already defined in {first.path}:{first.line}; cite that entry and remove this one")
                )
                continue
            bib.entries[key] = BibEntry(key, rel, line, entry)
    return bib


def entry_problems(entry: BibEntry) -> list[Problem]:
    """Missing fields and malformed identifiers of one entry."""
    problems: list[Problem] = []
    where = (entry.path, entry.line, 1)
    missing = [name for name in ("title", "year") if not entry.field(name)]
    if not entry.entry.persons.get("author") and not entry.field("author"):
        missing.insert(1, "author")
    for name in missing:
        problems.append(Problem(*where, "CIT003", f"entry {entry.key!r} has no {name}; add `{name} = {{...}}`"))
    if not any(entry.field(name) for name in IDENTIFIERS):
        problems.append(Problem(*where, "CIT003", f"entry {entry.key!r} has no identifier; add doi, eprint (arXiv id) or url"))
    doi = entry.field("doi")
    if doi and not DOI_RE.match(doi):
        problems.append(Problem(*where, "CIT004", f"entry {entry.key!r}: DOI {doi!r} is malformed; expected 10.NNNN/suffix without a URL prefix"))
    eprint = entry.field("eprint")
    prefix = entry.field("archiveprefix").lower() or entry.field("eprinttype").lower()
    if eprint and prefix in ("", "arxiv") and not (ARXIV_NEW.match(eprint) or ARXIV_OLD.match(eprint)):
        problems.append(Problem(*where, "CIT005", f"entry {entry.key!r}: arXiv id {eprint!r} is malformed; expected e.g. 2309.06180"))
    if eprint and not prefix:
        problems.append(Problem(*where, "CIT003", f"entry {entry.key!r} has an eprint but no archivePrefix; add `archivePrefix = {{arXiv}}`"))
    for name, value in entry.entry.fields.items():
        approximate = APPROXIMATE_TILDE.search(value)
        if approximate:
            problems.append(Problem(*where, "CIT008", f"entry {entry.key!r}, {name.lower()}: {approximate.group(0).strip()!r} prints as a space and the number; write 'about {approximate.group(1)}'"))
    return problems


# A ~ that starts a word and precedes a number means "about" to its writer, but BibTeX reads a
# tie (a non-breaking space): "~160" would print as " 160". A tie between words (Fig.~3) is fine.
APPROXIMATE_TILDE = re.compile(r"(?:^|\s)~(\d[\w.,]*)")


# An escaped special character (hidden\_size, AT\&T): the commonest backslash in the library,
# and one that needs no LaTeX parser.
ESCAPED_SPECIAL = re.compile(r"\\([_&%#$])")
LATEX_LIGATURES = ("--", "~", "``", "''")  # dashes, a tie, TeX quotes: pybtex turns them into characters


# Formatting commands pybtex's LaTeX parser does not know: their argument is kept as text.
FORMATTING = re.compile(r"\\(?:emph|textit|textbf|texttt|textsc|textrm|textsf|url|mbox|text)\s*(?=\{)")
INLINE_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")  # an escaped dollar (US\$20) is not math


def latex_to_text(text: str) -> str:
    """A BibTeX field as plain Unicode text: accents and escapes decoded by pybtex (latexcodec),
    braces dropped, inline math kept as its TeX source without the dollar signs."""
    if not any(mark in text for mark in ("\\", "{", "$", *LATEX_LIGATURES)):
        return re.sub(r"\s+", " ", text).strip()
    parts = INLINE_MATH.split(FORMATTING.sub("", text))
    decoded = [_decode(part) if index % 2 == 0 else part for index, part in enumerate(parts)]
    return re.sub(r"\s+", " ", "".join(decoded)).strip()


def _decode(part: str) -> str:
    """pybtex's LaTeX decoding, keeping the spaces at the ends that it trims."""
    core = part.strip()
    if not core:
        return part
    return part[: len(part) - len(part.lstrip())] + _from_latex(core) + part[len(part.rstrip()) :]


# The plain-text backend made once: render_as("text") looks it up among entry points on every call,
# which cost seconds per build.
_PLAIN_TEXT = PlainTextBackend()


@lru_cache(maxsize=8192)
def _from_latex(text: str) -> str:
    if not any(mark in text for mark in LATEX_LIGATURES) and "\\" not in ESCAPED_SPECIAL.sub("", text):
        # Only grouping braces and escaped specials: nothing else for pybtex to decode.
        return ESCAPED_SPECIAL.sub(r"\1", text.replace("{", "").replace("}", ""))
    return str(Text.from_latex(text).render(_PLAIN_TEXT)).replace("\\$", "$")  # pybtex keeps \$ escaped


def latex_to_html(text: str) -> str:
    """A BibTeX field as HTML: text escaped, inline math as MathML."""
    from folio.mdx.math import to_mathml

    parts = INLINE_MATH.split(FORMATTING.sub("", text))
    out = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            out.append(html.escape(_decode(part)))
        else:
            try:
                out.append(to_mathml(part, display=False))
            except Exception:  # noqa: BLE001 - latex2mathml raises many types; fall back to the TeX
                out.append(html.escape(part))
    return re.sub(r"\s+", " ", "".join(out)).strip()


_clean = latex_to_text


def _person(person: object) -> str:
    first = " ".join(getattr(person, "first_names", []) + getattr(person, "middle_names", []))
    last = " ".join(getattr(person, "prelast_names", []) + getattr(person, "last_names", []))
    name = f"{first} {last}".strip() if first else last
    return _clean(name)


def format_authors(entry: Entry) -> str:
    people = [_person(p) for p in entry.persons.get("author", [])]
    people = [p for p in people if p and p.lower() != "others"]
    if not people:
        return ""
    if len(people) > 3 or any(str(p).lower() == "others" for p in entry.persons.get("author", [])):
        return f"{people[0]} et al."
    if len(people) == 1:
        return people[0]
    return ", ".join(people[:-1]) + " and " + people[-1]


def format_reference(entry: BibEntry) -> str:
    """One reference as HTML that links to the work's DOI, arXiv page or URL."""
    parts = []
    authors = format_authors(entry.entry)
    if authors:
        parts.append(html.escape(authors) + ("" if authors.endswith(".") else "."))
    parts.append(f"<em>{latex_to_html(entry.field('title'))}</em>.")
    venue = next((entry.field(n) for n in ("journal", "booktitle", "howpublished", "publisher", "organization", "institution") if entry.field(n)), "")
    tail = ", ".join(x for x in (latex_to_html(venue), html.escape(entry.field("year"))) if x)
    if tail:
        parts.append(tail + ".")
    links = []
    if entry.field("doi"):
        doi = entry.field("doi")
        links.append(_link(f"https://doi.org/{doi}", f"doi:{doi}"))
    if entry.field("eprint") and entry.field("archiveprefix").lower() in ("", "arxiv"):
        eprint = entry.field("eprint")
        links.append(_link(f"https://arxiv.org/abs/{eprint}", f"arXiv:{eprint}"))
    if entry.field("url") and not links:
        links.append(_link(entry.field("url"), entry.field("url")))
    if links:
        parts.append(" ".join(links))
    note = entry.field("note")
    if note:
        parts.append(latex_to_html(note) + ".")
    return " ".join(parts)


def _link(url: str, text: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(text)}</a>'
