"""Fewer elements in highlighted code: name tokens written as plain text.

Pygments wraps every identifier in `<span class="n">`; on a series part that is about a
quarter of the page's elements (1,200 of 5,173), each one styled and laid out, and the first
layout of a long page is what a phone waits for after its first paint. Material colours `.n`
with `--md-code-hl-name-color`; folio.css gives highlighted code that same colour as its text
colour, so an identifier looks the same without its span.
"""

from __future__ import annotations

import re

CODE_ELEMENT = re.compile(r"<code\b[^>]*>.*?</code>", re.S)
NAME_TOKEN = re.compile(r'<span class="n">([^<]*)</span>')  # Pygments escapes < inside a token


def unwrap_name_tokens(html: str) -> str:
    """`html` with each `<span class="n">` inside a <code> element replaced by its text."""
    return CODE_ELEMENT.sub(lambda code: NAME_TOKEN.sub(r"\1", code.group(0)), html)
