"""Cross-references: an empty link to a figure or table id renders as its number.

`[](#fig-paged-kv)` becomes a link reading "Figure 2", numbered by
`pymdownx.blocks.caption` in page order. A reference to an id that no figure or table
on the page has reads "[unknown reference #id]"; rule FIG006 names its file and line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")


class XrefTreeprocessor(Treeprocessor):
    def _label(self, figure: etree.Element) -> str | None:
        for span in figure.iter("span"):
            if "caption-prefix" in span.get("class", ""):
                text = span.text or ""
                match = PLACEHOLDER.search(text)
                if match:
                    text = str(self.md.htmlStash.rawHtmlBlocks[int(match.group(1))])
                return text.strip().rstrip(".") or None
        return None

    def run(self, root: etree.Element) -> None:
        labels: dict[str, str] = {}
        for figure in root.iter("figure"):
            label = self._label(figure)
            if figure.get("id") and label:
                labels[figure.get("id", "")] = label
        for link in root.iter("a"):
            href = link.get("href", "")
            if not href.startswith("#") or (link.text or "").strip() or len(link):
                continue
            target = href[1:]
            if target in labels:
                link.text = labels[target]
                link.set("class", "folio-xref")
            else:
                # Rule FIG006 of the checks (run by the build too) reports it with file and line.
                link.text = f"[unknown reference #{target}]"
                link.set("class", "folio-xref folio-xref--unknown")


class XrefExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config: dict[str, list[Any]] = {}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After pymdownx.blocks.caption numbers figures (priority 4).
        md.treeprocessors.register(XrefTreeprocessor(md), "folio_xref", 3)


def makeExtension(**kwargs: Any) -> XrefExtension:
    return XrefExtension(**kwargs)
