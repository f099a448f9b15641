"""Render TeX math to MathML at build time, so that pages need no math library.

Works on the output of `pymdownx.arithmatex` in generic mode, which finds `$...$` and
`$$...$$` (and leaves code and escaped dollars alone); this extension only converts
what arithmatex found. A formula that cannot be converted is shown as its TeX source; rule
MATH001 of the checks (which the build runs too) reports it with its file and line.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from latex2mathml.converter import convert
from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# latex2mathml passes commands it does not know through as text, e.g. <mi>\\badcmd</mi>.
UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")


def tex_source(element: etree.Element) -> tuple[str, bool]:
    """The TeX inside an arithmatex element and whether it is display math."""
    text = html.unescape(element.text or "").strip()  # arithmatex hands over x &gt; y for x > y
    display = element.tag == "div"
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")):
        if text.startswith(opening) and text.endswith(closing):
            text = text[len(opening) : -len(closing)]
    return text.strip(), display


# Standard TeX operator names that latex2mathml does not know; rendered as upright operators.
MISSING_OPERATORS = re.compile(r"\\(arg|argmax|argmin|deg|gcd|hom|ker|lg)(?![A-Za-z])")


# An <mrow> around a single token element means the same as the element alone; pages
# carry fewer tags, so they are lighter to download and to index for search.
SINGLE_CHILD_MROW = re.compile(r"<mrow>(<(mi|mn|mo|mtext)(?: [^>]*)?>[^<]*</\2>)</mrow>")
CHAR_REF = re.compile(r"&#x([0-9A-Fa-f]+);")
KEEP_ESCAPED = {"<", ">", "&", '"'}


# TeX reads the comma in 128,256 as punctuation and sets a space after it ("128, 256"); a
# number written with digit groups becomes one <mn>, as it would be in text.
DIGIT_GROUP = re.compile(r"<mn>(\d{1,3}(?:,\d{3})*)</mn><mo>,</mo><mn>(\d{3}(?:\.\d+)?)</mn>")


def _compact(mathml: str) -> str:
    previous = None
    while previous != mathml:
        previous, mathml = mathml, SINGLE_CHILD_MROW.sub(r"\1", mathml)
    mathml = CHAR_REF.sub(lambda m: m.group(0) if chr(int(m.group(1), 16)) in KEEP_ESCAPED else chr(int(m.group(1), 16)), mathml)
    previous = None
    while previous != mathml:
        previous, mathml = mathml, DIGIT_GROUP.sub(r"<mn>\1,\2</mn>", mathml)
    return mathml


# MathML converted ahead of the pages in the build's second process (folio.plugin), by formula.
_converted_ahead: dict[tuple[str, bool], str] = {}


def convert_ahead(formulas: Iterable[tuple[str, bool]]) -> dict[tuple[str, bool], str]:
    """MathML of each (TeX, display) formula that converts. One that fails is left out:
    to_mathml converts it again where the page needs it and raises the error there."""
    converted = {}
    for formula in formulas:
        try:
            converted[formula] = to_mathml(*formula)
        except Exception:  # noqa: BLE001, S112 - reported by to_mathml's caller on the page
            continue
    return converted


def use_converted(mathml: dict[tuple[str, bool], str]) -> None:
    _converted_ahead.update(mathml)


@lru_cache(maxsize=4096)
def to_mathml(tex: str, display: bool) -> str:
    """MathML for one formula; cached, since pages repeat short formulas such as $n$ or $d$."""
    ahead = _converted_ahead.get((tex, display))
    if ahead is not None:
        return ahead
    tex = MISSING_OPERATORS.sub(lambda m: f"\\operatorname{{{m.group(1)}}}", tex)
    mathml = convert(tex, display="block" if display else "inline")
    unknown = UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise ValueError(f"unsupported TeX command {unknown.group(1)}")
    return _compact(mathml)


class MathTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if "arithmatex" not in element.get("class", "").split():
                continue
            tex, display = tex_source(element)
            element.set("class", "folio-math folio-math-display" if display else "folio-math")
            try:
                mathml = to_mathml(tex, display)
            except Exception:  # noqa: BLE001 - latex2mathml raises many types; MATH001 reports it
                element.set("class", element.get("class", "") + " folio-math--unrendered")
                element.text = tex
                continue
            element.text = self.md.htmlStash.store(mathml)


class MathExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config: dict[str, list[Any]] = {}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.treeprocessors.register(MathTreeprocessor(md), "folio_math", 15)


def makeExtension(**kwargs: Any) -> MathExtension:
    return MathExtension(**kwargs)
