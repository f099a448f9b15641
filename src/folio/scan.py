"""Locate the parts of a Markdown source that the checks and the build care about.

Everything here works on the raw source and reports 1-based file lines, so that a
problem points at the line the author wrote. Code regions are found once and used
both to shield code from the citation processor and to keep code out of the checks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from markdown.extensions.toc import slugify

if TYPE_CHECKING:
    from markdown_it.token import Token

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
ADMONITION = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===)\s")
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S")
# Patterns start with a literal and check what precedes it afterwards: a leading lookbehind
# stops the regex engine from skipping ahead to candidates, which costs ten times as much.
INLINE_CODE = re.compile(r"(`(?<!``)`*)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
CITATION_BLOCK = re.compile(r"\[(@[\w-]+(?:\s*;\s*@[\w-]+)*)\](?![(\[])")
CITATION_KEY = re.compile(r"@([\w-]+)")
CAPTION = re.compile(r"^[ \t]*///[ \t]*(?P<kind>figure|table)-caption\b(?P<arg>.*)$")
BLOCK_END = re.compile(r"^[ \t]*///[ \t]*$")
CAPTION_ID = re.compile(r"#([A-Za-z][\w-]*)")
HEADING_ATTR = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
INLINE_MATH = re.compile(r"\$(?<![\\$]\$)(?=\S)(.+?)(?<=\S)(?<!\\)\$(?!\$)")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019-]*")
ATX_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# Alt text may hold balanced brackets (`data: [DONE]`) and escaped ones, as CommonMark allows.
IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
ANCHOR_LINK = re.compile(r"\[(?<!!\[)([^\]]*)\]\(#([\w-]+)\)")
NOT_WORDS = (
    re.compile(r"\]\([^)]*\)"),  # link and image targets
    re.compile(r"<[^>]+>"),  # raw HTML tags
    re.compile(r"\[\^?@?[\w;@ -]*\]"),  # citations and footnote markers
    re.compile(r"^[ \t]*(?:///|!!!|\?\?\?|===)[^\n]*$", re.M),  # block and admonition markers
    re.compile(r"\{[:#.][^}]*\}"),  # attribute lists
)
GPU_MARKER = re.compile(r"^#\s*folio:\s*gpu\b")
PYTHON_LANGS = ("python", "py", "python3")  # fence info strings of Python listings
TITLE_OPTION = re.compile(r"""title\s*=\s*(["'])(.*?)\1""")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    anchor: str


@dataclass(frozen=True)
class Link:
    target: str
    text: str
    line: int
    col: int
    is_image: bool


@dataclass(frozen=True)
class CodeBlock:
    lang: str
    title: str
    code: str
    line: int  # line of the opening fence
    first_line: int  # line of the first line of code

    @property
    def gpu_only(self) -> bool:
        first = self.code.lstrip().splitlines()[:1]
        return bool(first) and bool(GPU_MARKER.match(first[0]))


@dataclass(frozen=True)
class Caption:
    kind: str  # "figure" or "table"
    ident: str | None
    line: int
    captioned_line: int | None  # first line of the block the caption attaches to


@dataclass(frozen=True)
class Citation:
    key: str
    line: int
    col: int


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    return starts


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, col) of a character offset."""
    line = bisect.bisect_right(starts, offset) - 1
    return line + 1, offset - starts[line] + 1


def fenced_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first index, last index, info string) of each fenced code block, 0-based and inclusive."""
    blocks = []
    i = 0
    while i < len(lines):
        match = FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        fence = match.group("fence")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = i + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        blocks.append((i, min(end, len(lines) - 1), match.group("info").strip()))
        i = end + 1
    return blocks


def _dedent_containers(lines: list[str], fenced: set[int]) -> list[str]:
    """Remove one level of indentation from admonition and tab bodies (nested ones too)."""
    out = list(lines)
    for _ in range(4):  # nesting depth we support
        changed = False
        i = 0
        while i < len(out):
            match = ADMONITION.match(out[i]) if i not in fenced else None
            if not match:
                i += 1
                continue
            body_indent = len(match.group("indent").expandtabs(4)) + 4
            j = i + 1
            while j < len(out):
                line = out[j]
                if line.strip() and len(line) - len(line.lstrip(" ")) < body_indent:
                    break
                if line.strip():
                    out[j] = line[4:]
                    changed = True
                j += 1
            out[i] = ""
            i = j
        if not changed:
            break
    return out


def indented_code_lines(lines: list[str], fenced: set[int]) -> set[int]:
    """0-based lines of indented code blocks (not list continuations, not fenced code)."""
    code: set[int] = set()
    previous_blank = True
    in_list = False
    in_code = False
    for i, line in enumerate(lines):
        if i in fenced:
            previous_blank, in_code = False, False
            continue
        if not line.strip():
            previous_blank = True
            continue
        indented = line.startswith("    ") or line.startswith("\t")
        if LIST_ITEM.match(line) and not indented:
            in_list = True
        elif not indented:
            in_list = False
        if indented and (in_code or (previous_blank and not in_list)):
            code.add(i)
            in_code = True
        else:
            in_code = False
        previous_blank = False
    return code


class Source:
    """A Markdown source (front matter already removed or blanked) and its parts."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        # `first_line` is the file line of text's first line, so reported lines match the file.
        self.text = text
        self.first_line = first_line

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def release(self) -> None:
        """Forget every derived part but the word count; each is recomputed if asked for again.

        The build calls this once a page is done: otherwise line lists, blanked copies and
        line sets of every page stay in memory to the end (about 40 MiB of peak memory at
        500 pages in `make bench`).
        """
        for name in list(vars(self)):
            if name not in ("text", "first_line", "word_count"):
                delattr(self, name)

    def file_line(self, index: int) -> int:
        return index + self.first_line

    @cached_property
    def _fenced(self) -> list[tuple[int, int, str]]:
        return fenced_blocks(self.lines)

    @cached_property
    def fenced_lines(self) -> set[int]:
        return {i for start, end, _ in self._fenced for i in range(start, end + 1)}

    @cached_property
    def flat_lines(self) -> list[str]:
        return _dedent_containers(self.lines, self.fenced_lines)

    @cached_property
    def code_line_set(self) -> set[int]:
        return self.fenced_lines | indented_code_lines(self.flat_lines, self.fenced_lines)

    @cached_property
    def code_spans(self) -> list[tuple[int, int]]:
        """Character ranges of code (blocks, inline spans) and HTML comments."""
        starts = _line_starts(self.text)
        spans: list[tuple[int, int]] = []
        for index in sorted(self.code_line_set):
            end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
            if spans and spans[-1][1] == starts[index]:  # one span per run of code lines
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((starts[index], end))
        prose = self._blank(self.text, spans)
        for match in HTML_COMMENT.finditer(prose):
            spans.append(match.span())
        prose = self._blank(prose, spans)
        for match in INLINE_CODE.finditer(prose):
            if "\n\n" not in match.group(0):
                spans.append(match.span())
        return sorted(spans)

    @staticmethod
    def _blank(text: str, spans: list[tuple[int, int]]) -> str:
        """`text` with every character of `spans` but newlines replaced by a space."""
        parts = []
        position = 0
        for start, end in sorted(spans):
            start = max(start, position)
            if start >= end:
                continue
            parts.append(text[position:start])
            parts.append("\n".join(" " * len(line) for line in text[start:end].split("\n")))
            position = end
        parts.append(text[position:])
        return "".join(parts)

    @cached_property
    def prose(self) -> str:
        """The text with every code region and HTML comment blanked out (same offsets)."""
        return _prose(self.text)

    @cached_property
    def _starts(self) -> list[int]:
        return _line_starts(self.text)

    def locate(self, offset: int) -> tuple[int, int]:
        """File (line, col) of a character offset in the text (or in its prose: same offsets)."""
        line, col = position(self._starts, offset)
        return line + self.first_line - 1, col

    # -- citations -------------------------------------------------------------------------
    @cached_property
    def citation_blocks(self) -> list[tuple[int, int]]:
        """Character ranges of `[@key]` and `[@a; @b]` blocks outside code."""
        blocks = []
        for match in CITATION_BLOCK.finditer(self.prose):
            # `[@x]: ...` at the start of a line is a link reference definition, not a citation.
            line_start = self.prose.rfind("\n", 0, match.start()) + 1
            at_line_start = match.start() - line_start <= 3 and not self.prose[line_start : match.start()].strip()
            if at_line_start and self.prose.startswith(":", match.end()):
                continue
            blocks.append(match.span())
        return blocks

    @cached_property
    def citations(self) -> list[Citation]:
        found = []
        for start, end in self.citation_blocks:
            for match in CITATION_KEY.finditer(self.text, start, end):
                line, col = self.locate(match.start())
                found.append(Citation(match.group(1), line, col))
        return found

    # -- markdown-it view --------------------------------------------------------------------
    @cached_property
    def tokens(self) -> list[Token]:
        # Imported here: only `folio check` needs a full parse, and the build should not load it.
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark").enable("table")
        return parser.parse("\n".join(self.flat_lines))

    @cached_property
    def headings(self) -> list[Heading]:
        # A line scan, not a full parse: the build runs this on every page (ATX headings only).
        found = []
        seen: dict[str, int] = {}
        code = self.code_line_set
        for index, line in enumerate(self.flat_lines):
            match = ATX_HEADING.match(line) if index not in code else None
            if not match:
                continue
            raw = match.group(2)
            attr = HEADING_ATTR.search(raw)
            text = HEADING_ATTR.sub("", raw).strip()
            anchor = attr.group(1) if attr else slugify(_plain(text), "-")
            if not attr and anchor in seen:
                seen[anchor] += 1
                anchor = f"{anchor}_{seen[anchor]}"
            else:
                seen.setdefault(anchor, 0)
            found.append(Heading(len(match.group(1)), text, self.file_line(index), anchor))
        return found

    def _scan_links(self, pattern: re.Pattern[str], prefix: str, is_image: bool) -> list[Link]:
        """Links matched in the prose by `pattern` (group 1 the text, group 2 the target)."""
        return [Link(prefix + m.group(2), m.group(1), *self.locate(m.start()), is_image=is_image) for m in pattern.finditer(self.prose)]

    @cached_property
    def images(self) -> list[Link]:
        """Images outside code, found by a scan of the prose (cheap enough for every build)."""
        return self._scan_links(IMAGE, "", is_image=True)

    @cached_property
    def anchor_links(self) -> list[Link]:
        """Links to an anchor on the same page, `[text](#id)`; empty text makes a cross-reference."""
        return self._scan_links(ANCHOR_LINK, "#", is_image=False)

    @cached_property
    def links(self) -> list[Link]:
        found = []
        for token in self.tokens:
            if token.type != "inline" or token.map is None or not token.children:
                continue
            children = token.children
            for k, child in enumerate(children):
                if child.type == "link_open":
                    target = str(child.attrs.get("href", ""))
                    text = _collect_text(children, k)
                    found.append(self._link(token.map, target, text, is_image=False))
                elif child.type == "image":
                    target = str(child.attrs.get("src", ""))
                    found.append(self._link(token.map, target, child.content, is_image=True))
        return found

    def _link(self, block_map: list[int], target: str, text: str, is_image: bool) -> Link:
        for index in range(block_map[0], block_map[1]):
            col = self.flat_lines[index].find(target) if target else -1
            if col >= 0:
                return Link(target, text, self.file_line(index), col + 1, is_image)
        return Link(target, text, self.file_line(block_map[0]), 1, is_image)

    @cached_property
    def code_blocks(self) -> list[CodeBlock]:
        blocks = []
        for start, end, info in self._fenced:
            lang = info.split()[0].lstrip(".{").rstrip("}") if info else ""
            title_match = TITLE_OPTION.search(info)
            code = "\n".join(_dedent(self.lines[start + 1 : end], self.lines[start]))
            blocks.append(
                CodeBlock(lang.lower(), title_match.group(2) if title_match else "", code, self.file_line(start), self.file_line(start + 1))
            )
        return blocks

    @cached_property
    def captions(self) -> list[Caption]:
        found = []
        for index, line in enumerate(self.lines):
            if index in self.fenced_lines:
                continue
            match = CAPTION.match(line)
            if not match:
                continue
            ident = CAPTION_ID.search(match.group("arg"))
            found.append(
                Caption(match.group("kind"), ident.group(1) if ident else None, self.file_line(index), self._previous_block(index))
            )
        return found

    def _previous_block(self, index: int) -> int | None:
        """File line where the block before line `index` starts."""
        k = index - 1
        while k >= 0 and not self.lines[k].strip():
            k -= 1
        if k < 0:
            return None
        while k > 0 and self.lines[k - 1].strip():
            k -= 1
        return self.file_line(k)

    @cached_property
    def xrefs(self) -> list[Link]:
        return [link for link in self.anchor_links if not link.text.strip()]

    @cached_property
    def word_count(self) -> int:
        """Words of prose: code, math, link targets, HTML tags, citations and block markers removed."""
        text = DISPLAY_MATH.sub(" ", self.prose)
        text = INLINE_MATH.sub(" ", text)
        for pattern in NOT_WORDS:
            text = pattern.sub(" ", text)
        return len(WORD.findall(text))


@lru_cache(maxsize=64)
def _prose(text: str) -> str:
    # Shared by the checks and the citation shield, which see the same page text in one build.
    source = Source(text)
    return source._blank(text, source.code_spans)


def _plain(text: str) -> str:
    return re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", text)


def _collect_text(children: list[Token], start: int) -> str:
    parts = []
    for child in children[start + 1 :]:
        if child.type == "link_close":
            break
        parts.append(child.content)
    return "".join(parts)


def _dedent(lines: list[str], fence_line: str) -> list[str]:
    indent = len(fence_line) - len(fence_line.lstrip())
    return [line[indent:] if line[:indent].strip() == "" else line for line in lines]
