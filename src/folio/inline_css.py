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
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^"'()\s]+))\s*\)""", re.IGNORECASE)
ANY_URL = re.compile(r"url\(", re.IGNORECASE)
NOT_REBASED = re.compile(r"@import\b|image-set\(", re.IGNORECASE)  # references that url() rebasing would miss
WHERE = "overrides/main.html (block styles)"


class InlineStyleError(Exception):
    """A stylesheet to inline is not in the theme's folders, or cannot be placed in a page."""


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def rebase_urls(css: str, folder: str, source: str = "stylesheet") -> str:
    """Relative url() references made relative to the page instead of the sheet's `folder`;
    `source` names the sheet in errors. A reference this cannot rebase is an error, not a
    broken address in the page."""
    if unsupported := NOT_REBASED.search(css):
        raise InlineStyleError(
            f"{source}:{_line(css, unsupported.start())}: {unsupported.group(0)} cannot be rebased when the sheet is written into a page; "
            f"use url() there, or stop writing the sheet into the page in {WHERE}"
        )

    def rebase(match: re.Match[str]) -> str:
        quote = '"' if match.group(1) is not None else "'" if match.group(2) is not None else ""
        target = next(group for group in match.groups() if group is not None)
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:|/|#)", target, re.IGNORECASE):
            return match.group(0)  # absolute, root-relative, data: or a fragment: as written
        return f"url({quote}{posixpath.normpath(posixpath.join(folder, target))}{quote})"

    rebased, count = CSS_URL.subn(rebase, css)
    if count != len(ANY_URL.findall(css)):
        unread = next(m for m in ANY_URL.finditer(css) if not CSS_URL.match(css, m.start()))
        raise InlineStyleError(f"{source}:{_line(css, unread.start())}: a url() folio cannot read; quote its address")
    return rebased


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


def read_stylesheet(path: str, theme_dirs: Sequence[str]) -> tuple[str, Path]:
    for folder in theme_dirs:  # the custom folder (overrides/) first, as MkDocs copies them
        candidate = Path(folder) / path
        if candidate.is_file():
            css = candidate.read_text(encoding="utf-8")
            if "</style" in css.lower():
                raise InlineStyleError(f"{candidate}:{_line(css, css.lower().index('</style'))}: contains '</style', which would end the page's <style> element; remove it")
            return css, candidate
    raise InlineStyleError(
        f"stylesheet {path!r} to write into the page is in none of the theme's folders ({', '.join(theme_dirs)}); "
        f"add it under overrides/ or correct its name in {WHERE}"
    )


def inline_stylesheets(html: str, theme_dirs: Sequence[str], base_path: str, *patterns: str) -> str:
    """Each <link rel="stylesheet"> in `html` whose file name matches one of `patterns` (shell
    patterns, for example `palette.*.css`) replaced by a <style> element with its contents;
    `base_path` is the path of the site's root URL (`/portfolio/` for site_url .../portfolio/).
    A pattern that matches no link is an error: the sheet would silently stay linked."""
    matched: set[str] = set()

    def inline(match: re.Match[str]) -> str:
        href = match.group(1)
        name = posixpath.basename(href.split("?")[0])
        hits = [pattern for pattern in patterns if fnmatch.fnmatch(name, pattern)]
        if not hits:
            return match.group(0)
        matched.update(hits)
        css, source = read_stylesheet(asset_path(href, base_path), theme_dirs)
        return f"<style>{rebase_urls(css, posixpath.dirname(href) or '.', str(source)).strip()}</style>"

    out = STYLESHEET_LINK.sub(inline, html)
    if missing := [pattern for pattern in patterns if pattern not in matched]:
        raise InlineStyleError(f"no stylesheet link matches {', '.join(missing)} to write into the page; correct the name in {WHERE}")
    return out
