"""Typed configuration of the folio plugin (the `folio:` entry in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class FolioConfig(base.Config):
    articles_dir = c.Type(str, default="articles")
    """Folder, relative to mkdocs.yml, whose Markdown files are published at /articles/<slug>/."""

    figures_dir = c.Type(str, default="figures")
    """Folder, relative to mkdocs.yml, of images; published at /figures/ (its src/ is not)."""

    pdf = c.Type(bool, default=False)
    """Link each document's PDF from its page (header link, citation_pdf_url). Set it only for builds
    that `folio pdf` completes, so no build publishes a dead link: `make pdf` and the deploy set
    FOLIO_PDF=true, which mkdocs.yml passes here."""
