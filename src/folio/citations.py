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
from folio.scan import Source

SENTINEL = "\ue000"  # a private-use character that Markdown sources never contain
# A reference in a footnote definition, by its position in the library: plain text that no
# Markdown pattern matches (raw HTML would be parsed twice, a key could hold `_` or `*`).
REFERENCE_OPEN, REFERENCE_CLOSE = "\ue004", "\ue005"
REFERENCE_PLACEHOLDER = re.compile(REFERENCE_OPEN + r"(\d+)" + REFERENCE_CLOSE)


def shield(markdown: str, source: Source | None = None) -> str:
    """Replace every `@` outside citation blocks (and all inside code) with the sentinel."""
    if "@" not in markdown:
        return markdown
    parts = []
    position = 0
    for start, end in (source or Source(markdown)).citation_blocks:
        parts.append(markdown[position:start].replace("@", SENTINEL))
        parts.append(markdown[start:end])
        position = end
    parts.append(markdown[position:].replace("@", SENTINEL))
    return "".join(parts)


def unshield(markdown: str) -> str:
    return markdown.replace(SENTINEL, "@")


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
        sources = biblib.read_sources(root)
        if self.library is None or self.library.digest != biblib.content_digest(sources):
            library = biblib.load(root, sources)
            fatal = [p for p in library.problems if p.code == "CIT002"]
            if fatal:
                raise PluginError("\n".join(str(p) for p in fatal))
            self.library = library  # its other problems are reported (and counted) by the folio plugin
            self._formatted = {}
            self._keys = list(library.entries)
            self._key_index = {key: index for index, key in enumerate(self._keys)}
        self.registry = self._registry(self.library)
        return config

    def _registry(self, library: biblib.Bibliography) -> SimpleRegistry:
        """mkdocs-bibtex's registry over the library parsed above, instead of parsing it again."""
        registry = SimpleRegistry.__new__(SimpleRegistry)
        registry.bib_data = library.data
        registry.footnote_format = self.config.footnote_format
        registry.reference_text = self._reference_text  # type: ignore[method-assign]
        return registry

    def _reference_text(self, citation: Any) -> str:
        # mkdocs-bibtex writes each reference as a Markdown footnote definition. Parsing the
        # full reference text as Markdown costs several milliseconds per page, so the
        # definition holds a placeholder that on_page_content swaps for HTML made once.
        return f"{REFERENCE_OPEN}{self._key_index[citation.key]}{REFERENCE_CLOSE}"

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
