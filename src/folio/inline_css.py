"""Small stylesheets written into the page instead of linked.

On a first visit every linked stylesheet is a request the first paint waits for, and on a slow
network one that starts while the page's connection is busy waits for a new connection (one
more round trip). Material's main stylesheet
stays linked (it is large, and shared by every page through the cache); the small ones a page
needs before its first paint (Material's palette, folio.css, the fallback faces) are written
into a <style> element, with their url() references rebased from the stylesheet's folder to
the page's.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Sequence
from pathlib import Path

STYLESHEET_LINK = re.compile(r'<link rel="stylesheet" href="([^"]+)">')
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


class InlineStyleError(Exception):
    """A stylesheet to inline is not in the theme's folders, or cannot be placed in a page."""


def rebase_urls(css: str, folder: str) -> str:
    """Relative url() references made relative to `folder`'s parent page instead of the sheet."""

    def rebase(match: re.Match[str]) -> str:
        quote, target = match.groups()
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", target, re.IGNORECASE):
            return match.group(0)  # absolute, root-relative, data: or a fragment: as written
        return f"url({quote}{posixpath.normpath(posixpath.join(folder, target))}{quote})"

    return CSS_URL.sub(rebase, css)


def asset_path(href: str, base_path: str = "/") -> str:
    """The stylesheet's path inside the site: `../../assets/folio.css` -> `assets/folio.css`, and
    on pages linked from the site's root (the 404 page) `/<base_path>/assets/folio.css` too."""
    href = href.split("?")[0]
    if href.startswith("/"):
        href = href[len(base_path) :] if href.startswith(base_path) else href.lstrip("/")
    parts = href.split("/")
    while parts and parts[0] in ("..", "."):
        parts.pop(0)
    return "/".join(parts)


def read_stylesheet(path: str, theme_dirs: Sequence[str]) -> str:
    for folder in theme_dirs:  # the custom folder (overrides/) first, as MkDocs copies them
        candidate = Path(folder) / path
        if candidate.is_file():
            css = candidate.read_text(encoding="utf-8")
            if "</style" in css.lower():
                raise InlineStyleError(f"{candidate}: contains '</style', which would end the page's <style> element; remove it")
            return css
    raise InlineStyleError(f"stylesheet {path!r} to write into the page is in none of the theme's folders ({', '.join(theme_dirs)})")


def inline_stylesheets(html: str, theme_dirs: Sequence[str], base_path: str, *patterns: str) -> str:
    """Each <link rel="stylesheet"> in `html` whose file name matches one of `patterns` (shell
    patterns, for example `palette.*.css`) replaced by a <style> element with its contents;
    `base_path` is the path of the site's root URL (`/portfolio/` for site_url .../portfolio/)."""

    def inline(match: re.Match[str]) -> str:
        href = match.group(1)
        if not any(fnmatch.fnmatch(posixpath.basename(href.split("?")[0]), pattern) for pattern in patterns):
            return match.group(0)
        css = read_stylesheet(asset_path(href, base_path), theme_dirs)
        return f"<style>{rebase_urls(css, posixpath.dirname(href) or '.').strip()}</style>"

    return STYLESHEET_LINK.sub(inline, html)
