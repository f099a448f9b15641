"""Citations through mkdocs-bibtex, with code shielded and the library parsed once.

mkdocs-bibtex finds citations with regular expressions over the raw Markdown, so an `@`
in code, an e-mail address or a URL can become a bogus citation. Before it runs, every
`@` that is not part of a `[@key]` citation block outside code is replaced by a private
sentinel character, and restored afterwards. References are formatted once per
bibliography version (keyed on the content of references/*.bib), not once per page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs_bibtex.plugin import BibTexPlugin
from mkdocs_bibtex.registry import SimpleRegistry

from folio import bib as biblib
from folio.library_cache import load_cached
from folio.scan import Source

SENTINEL = "\ue000"  # a private-use character that Markdown sources never contain
# A reference in a footnote definition, by its position in the library: plain text that no
# Markdown pattern matches (raw HTML would be parsed twice, a key could hold `_` or `*`).
REFERENCE_OPEN, REFERENCE_CLOSE = "\ue004", "\ue005"
REFERENCE_PLACEHOLDER = re.compile(REFERENCE_OPEN + r"(\d+)" + REFERENCE_CLOSE)


def shield(markdown: str, source: Source | None = None) -> str:
    """Replace every `@` outside citation blocks (and all inside code) with the sentinel, and
    attach each citation block to the word before it: a space there lets the marker wrap onto
    the next line on its own, away from the claim it supports."""
    if "@" not in markdown:
        return markdown
    parts = []
    position = 0
    for start, end in (source or Source(markdown)).citation_blocks:
        before = markdown[position:start].replace("@", SENTINEL)
        line_so_far = before.rpartition("\n")[2]
        parts.append(before.rstrip(" \t") if line_so_far.strip() else before)  # not a line's indent
        parts.append(markdown[start:end])
        position = end
    parts.append(markdown[position:].replace("@", SENTINEL))
    return "".join(parts)


def unshield(markdown: str) -> str:
    return markdown.replace(SENTINEL, "@")


class FolioRegistry(SimpleRegistry):
    """mkdocs-bibtex's simple registry over the library folio parsed (with file and line for
    every problem). A reference is written as a placeholder: parsing each reference's text as
    Markdown costs milliseconds per page, so on_page_content swaps in HTML formatted once."""

    def __init__(self, library: biblib.Bibliography, footnote_format: str, key_index: dict[str, int]) -> None:
        super().__init__(bib_files=[], footnote_format=footnote_format)  # no files: the data is already parsed
        self.bib_data = library.data
        self.key_index = key_index

    def reference_text(self, citation: Any) -> str:
        return f"{REFERENCE_OPEN}{self.key_index[citation.key]}{REFERENCE_CLOSE}"


class CitationsPlugin(BibTexPlugin):
    """mkdocs-bibtex with code shielding, clear errors and one formatting pass per library."""

    def __init__(self) -> None:
        super().__init__()
        self.library: biblib.Bibliography | None = None
        self._formatted: dict[str, str] = {}
        self._keys: list[str] = []  # library order; placeholders hold an index into it
        self._key_index: dict[str, int] = {}

    def on_config(self, config: Any) -> Any:
        root = Path(config["config_file_path"]).parent
        self._check_options(root)
        sources = biblib.read_sources(root)
        if self.library is None or self.library.digest != biblib.content_digest(sources):
            library = load_cached(root, sources)
            fatal = [p for p in library.problems if p.code == "CIT002"]
            if fatal:
                raise PluginError("\n".join(str(p) for p in fatal))
            self.library = library  # its other problems are reported (and counted) by the folio plugin
            self._formatted = {}
            self._keys = list(library.entries)
            self._key_index = {key: index for index, key in enumerate(self._keys)}
        # mkdocs-bibtex's own on_config would parse every .bib file a second time (about 0.3 s
        # per build); its registry, made with its constructor, takes the library parsed above.
        self.registry = FolioRegistry(self.library, self.config.footnote_format, self._key_index)
        return config

    def _check_options(self, root: Path) -> None:
        """The mkdocs-bibtex options folio honours, and a clear error for those it does not."""
        if self.config.bib_file is not None or self.config.csl_file is not None:
            raise PluginError("folio-bibtex: bib_file and csl_file are not supported; keep .bib files in references/ (bib_dir: references)")
        if self.config.bib_dir is None or (root / self.config.bib_dir).resolve() != (root / "references").resolve():
            raise PluginError(f"folio-bibtex: bib_dir is {self.config.bib_dir!r}; folio's checks read references/, so set bib_dir: references")
        if "{key}" not in self.config.footnote_format:
            raise PluginError("folio-bibtex: footnote_format must contain {key}")

    def _reference_html(self, match: re.Match[str]) -> str:
        key = self._keys[int(match.group(1))]
        if key not in self._formatted:
            assert self.library is not None
            self._formatted[key] = biblib.format_reference(self.library.entries[key])
        return self._formatted[key]

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        assert self.library is not None
        source = Source(markdown)
        shielded = shield(markdown, source)
        # Unknown keys are reported by the folio plugin with file and line; hide them from
        # mkdocs-bibtex so that the page keeps the literal text instead of a broken note.
        unknown = {c.key for c in source.citations if c.key not in self.library.entries}
        if unknown:
            pattern = re.compile("@(" + "|".join(re.escape(k) for k in unknown) + r")(?![\w-])")
            shielded = pattern.sub(SENTINEL + r"\1", shielded)
        rendered = super().on_page_markdown(shielded, page, config, files)
        return unshield(rendered)

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        return REFERENCE_PLACEHOLDER.sub(self._reference_html, html)
