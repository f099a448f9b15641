"""Typed configuration of the folio plugin (the `folio:` entry in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class FolioConfig(base.Config):
    articles_dir = c.Type(str, default="articles")
    """Folder, relative to mkdocs.yml, whose Markdown files are published at /articles/<slug>/."""

    figures_dir = c.Type(str, default="figures")
    """Folder, relative to mkdocs.yml, of images; published at /figures/ (its src/ is not)."""
