"""Number columns: a table column whose body cells are all numbers is marked `folio-num`, and the
stylesheet sets it right-aligned in tabular figures, so digits line up by place value.

A cell counts as a number when its text is a number with optional sign, approximation mark,
currency, thousands separators, decimals, a range ("1.2-2"), and a short unit or suffix such as
"%", "x" or "GB". Empty cells and dashes ("-", an em dash) are allowed; a column with no number
at all, or with any word in a body cell, is left as it is.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

NUMBER = r"[~≈<>≤≥±+\-−]?\s?[$€£]?\d[\d,]*(?:\.\d+)?"
UNIT = r"(?:\s?(?:%|×|x|[kKMGTP]i?B|[kMGTP]?B/s|[kMGT]?FLOP(?:/s)?|[munµ]?s|ms|[kMGT]?W|MHz|GHz|[kMBT]|pp))?"
NUMERIC_CELL = re.compile(rf"^(?:{NUMBER}{UNIT}(?:\s?[-–]\s?{NUMBER}{UNIT})?|[-–—]|)$")
NUMBER_CLASS = "folio-num"


def cell_text(cell: etree.Element) -> str:
    return re.sub(r"\s+", " ", "".join(cell.itertext())).strip()


def numeric_columns(rows: list[list[etree.Element]]) -> set[int]:
    """Indexes of the columns whose body cells are all numbers (and at least one is)."""
    columns: dict[int, list[str]] = {}
    for row in rows:
        for index, cell in enumerate(row):
            columns.setdefault(index, []).append(cell_text(cell))
    return {
        index for index, texts in columns.items()
        if all(NUMERIC_CELL.match(t) for t in texts) and any(re.search(r"\d", t) for t in texts)
    }


class NumberColumns(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for table in root.iter("table"):
            body = [list(row) for section in table.findall("tbody") for row in section.findall("tr")]
            head = [list(row) for section in table.findall("thead") for row in section.findall("tr")]
            for index in numeric_columns(body):
                for row in head + body:
                    if index < len(row):
                        classes = row[index].get("class", "")
                        row[index].set("class", f"{classes} {NUMBER_CLASS}".strip())


class TablesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(NumberColumns(md), "folio_tables", 1)


def makeExtension(**kwargs: Any) -> TablesExtension:
    return TablesExtension(**kwargs)
