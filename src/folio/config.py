"""Typed configuration of the folio plugin (the `folio:` entry in mkdocs.yml) and the site model
declared there. The build reads it through MkDocs; `folio check`, `folio new` and the other
commands read the same entry with the same validation, so every tool sees one model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.utils.yaml import yaml_load

from folio import model


class DocTypes(c.BaseConfigOption[tuple[model.DocType, ...]]):
    """`types:` a mapping of type name to its declaration (folder, label, sections, rules)."""

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> tuple[model.DocType, ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            raise base.ValidationError("expected a mapping of type name to its settings (label, folder, sections, ...)")
        try:
            return tuple(model.doc_type_from_config(str(name), entry) for name, entry in value.items())
        except model.ModelError as exc:
            raise base.ValidationError(str(exc)) from exc


class FolioConfig(base.Config):
    types = DocTypes()
    """The collections: each type's folder, URL, label, required sections and rules (see CONTRIBUTING.md)."""

    series = c.DictOfItems(c.Type(str), default={})
    """Optional display titles of series by id (front matter `series:`); other ids read as words."""

    figures_dir = c.Type(str, default="figures")
    """Folder, relative to mkdocs.yml, of images; published at /figures/ (its src/ is not)."""

    articles_dir = c.Deprecated(
        removed=True,
        message="folio's 'articles_dir' was removed: declare the articles' folder as `folder:` of their type under `folio: types:`",
    )

    pdf = c.Type(bool, default=False)
    """Link each document's PDF from its page (header link, citation_pdf_url). Set it only for builds
    that `folio pdf` completes, so no build publishes a dead link: `make pdf` and the deploy set
    FOLIO_PDF=true, which mkdocs.yml passes here."""


class ConfigError(Exception):
    """mkdocs.yml cannot give folio a site model; the message names the setting and the fix."""


def site_model(config: FolioConfig) -> model.SiteModel:
    """The site model of a validated plugin configuration."""
    try:
        return model.SiteModel(tuple(config.types), dict(config.series), str(config.figures_dir).strip("/"))
    except model.ModelError as exc:
        raise ConfigError(f"mkdocs.yml: folio: {exc}") from exc


def _plugin_options(plugins: Any) -> dict[str, Any] | None:
    """The options of the folio entry of MkDocs' `plugins:` setting: a mapping of name to
    options, or a list whose items are a name or a one-key mapping of name to options."""
    if isinstance(plugins, dict):
        plugins = [plugins]
    for item in plugins or []:
        if item == "folio":
            return {}
        if isinstance(item, dict) and "folio" in item:
            return dict(item["folio"] or {})
    return None


def load_site_model(root: Path) -> model.SiteModel:
    """The site model declared in `root/mkdocs.yml`, validated as the build validates it."""
    path = root / "mkdocs.yml"
    if not path.exists():
        raise ConfigError(f"{path}: not found; run folio in the folder that holds mkdocs.yml")
    with path.open(encoding="utf-8") as stream:
        data = yaml_load(stream) or {}
    options = _plugin_options(data.get("plugins"))
    if options is None:
        raise ConfigError(f"{path}: the folio plugin is not in `plugins:`; add `- folio` there")
    config = FolioConfig(config_file_path=str(path))
    config.load_dict(options)
    failed, _ = config.validate()
    if failed:
        raise ConfigError("; ".join(f"{path.name}: folio: {key}: {error}" for key, error in failed))
    return site_model(config)
