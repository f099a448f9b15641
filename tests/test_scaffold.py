"""`folio new`: a skeleton per type that the checks flag until it is written, then builds strictly."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import ROOT, SVG, build, make_site
from folio.checks import Context, check_site
from folio.config import load_site_model
from folio.scaffold import ScaffoldError, create

TYPES = load_site_model(ROOT).by_name


FILLER = "Prose that explains the point with a number from a source [@kwon2023vllm]."


def fill(text: str) -> str:
    """Replace every guidance note with minimal valid content, as an author would."""
    text = re.sub(r'summary: .*TODO\(folio\).*', 'summary: "A short summary of what the reader learns here."', text)
    text = re.sub(r'description: .*TODO\(folio\).*', 'description: "What prefix caching saves, in one sentence for a search result."', text)
    text = re.sub(r"TODO\(folio\): A two-column table.*", "| Term | Definition |\n|---|---|\n| Batch | Requests run together. |", text)
    text = re.sub(r"TODO\(folio\):.*", FILLER, text)
    figure = "\n![A box that stands for the system](/figures/demo.svg)\n\n/// figure-caption | #fig-box\nThe system.\n///\n\nSee [](#fig-box).\n"
    return text.replace(FILLER, FILLER + figure, 1)


@pytest.mark.build
@pytest.mark.xdist_group("build")
@pytest.mark.parametrize("type_name", list(TYPES))
def test_scaffold_todo_then_fill_then_build(tmp_path, type_name):
    root = make_site(tmp_path, {
        "docs/explainers/index.md": "# E\n\n<!-- folio:collection explainer -->\n",
        "docs/series/index.md": "# S\n\n<!-- folio:collection series-post -->\n",
        "docs/articles/index.md": "# A\n\n<!-- folio:collection article -->\n",
    })
    rel = create(root, type_name, "Prefix caching in practice", today=dt.date(2026, 11, 23))
    doc_type = TYPES[type_name]
    assert rel.as_posix() == f"{doc_type.folder}/prefix-caching-in-practice.md"

    problems = check_site(Context.load(root), None)
    todos = [p for p in problems if p.code == "TODO001" and p.path == rel.as_posix()]
    assert len(todos) >= len(doc_type.required_sections)
    assert not [p for p in problems if p.code.startswith(("FM", "SEC"))], problems

    draft = build(root)
    assert draft.returncode == 0, f"a new document must not break the build\n{draft.output}"
    assert not (draft.site / doc_type.url_prefix / "prefix-caching-in-practice" / "index.html").exists(), "drafts stay out of the build"

    path = root / rel
    assert "status: draft" in path.read_text()
    path.write_text(fill(path.read_text()).replace("status: draft", "status: published"))
    assert not [p for p in check_site(Context.load(root), None) if p.code.startswith(("TODO", "FM", "SEC", "CIT001", "FIG00"))]

    result = build(root)
    assert result.returncode == 0, result.output
    slug_url = f"{doc_type.url_prefix}/prefix-caching-in-practice/"
    assert (result.site / slug_url / "index.html").exists()
    assert f'href="{slug_url}"' in (result.site / "index.html").read_text() or "prefix-caching-in-practice" in (result.site / "index.html").read_text()
    assert "Prefix caching in practice" in (result.site / doc_type.url_prefix / "index.html").read_text()
    assert "prefix-caching-in-practice" in (result.site / "index.html").read_text()


def test_scaffold_refuses_overwrite_empty_and_duplicate(tmp_path):
    root = make_site(tmp_path, {})
    (root / "figures" / "demo.svg").write_text(SVG)
    create(root, "article", "Speculative decoding")
    with pytest.raises(ScaffoldError, match="already used"):
        create(root, "article", "Speculative Decoding!")
    with pytest.raises(ScaffoldError, match="empty slug"):
        create(root, "explainer", "!!!")
    with pytest.raises(ScaffoldError, match="already used"):
        create(root, "explainer", "Speculative decoding")


def test_scaffold_series_takes_the_next_free_part(tmp_path):
    root = make_site(tmp_path, {})
    first = create(root, "series-post", "Part one")
    second = create(root, "series-post", "Part two")
    assert "part: 1" in (root / first).read_text()
    assert "part: 2" in (root / second).read_text()
