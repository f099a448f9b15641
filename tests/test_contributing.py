"""CONTRIBUTING.md stays true to model.py, and the site publishes it without a copy."""

from __future__ import annotations

import re

from conftest import ROOT
from folio import model
from folio.config import load_site_model

TYPES = load_site_model(ROOT).by_name


def contributing_table() -> dict[str, list[str]]:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    block = text.split("<!-- folio:generated-from-model", 1)[1].split("<!-- /folio:generated-from-model -->", 1)[0]
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    return rows


def test_section_table_matches_the_model():
    rows = contributing_table()
    assert set(rows) == set(TYPES)
    for name, doc_type in TYPES.items():
        _, folder, sections, words, citations, figures = rows[name]
        assert folder == f"`{doc_type.folder}/`"
        assert [s.strip() for s in sections.split(",")] == list(doc_type.required_sections)
        expected_words = f"{doc_type.min_words}-{doc_type.max_words}" if doc_type.max_words else f">= {doc_type.min_words}"
        assert words == expected_words
        assert citations == f">= {doc_type.min_citations}"
        assert figures == f">= {doc_type.min_figures}"


def test_front_matter_example_lists_every_field():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    example = re.search(r"```yaml\n(---\n.*?---)\n```", text, re.S).group(1)
    fields = {line.split(":", 1)[0] for line in example.splitlines() if re.match(r"^[a-z]+:", line)}
    expected = set(model.COMMON_FIELDS) | {f for t in TYPES.values() for f in t.extra_fields}
    assert fields == expected


def test_every_rule_family_is_explained():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for family in ("FM", "SEC", "LNK", "CIT", "FIG", "HTML", "SPL", "TODO", "EXE", "STD"):
        assert family in text, family


def test_every_type_setting_is_documented():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    missing = [key for key in model.DECLARATION_KEYS if f"`{key}`" not in text]
    assert not missing, f"CONTRIBUTING.md does not explain these `folio: types:` settings: {missing}"
