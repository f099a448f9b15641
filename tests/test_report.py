"""`folio check --format github|json` and `--summary`: the exact lines a workflow and a person read."""

from __future__ import annotations

import json

from conftest import explainer, make_site
from folio.cli import main
from folio.problems import Problem
from folio.report import SummaryRow, format_problems, github_annotation, summary_markdown

PROBLEM = Problem("articles/my-post.md", 12, 3, "CIT001", "unknown citation key 'x2024'; add it to references/*.bib or fix the key")


def test_github_annotation_names_file_line_column_rule_and_message():
    assert github_annotation(PROBLEM) == (
        "::error file=articles/my-post.md,line=12,col=3,title=CIT001 citation of a key that no BibTeX file defines::"
        "unknown citation key 'x2024'; add it to references/*.bib or fix the key"
    )


def test_github_annotation_escapes_what_would_break_the_command():
    odd = Problem("docs/a,b:c.md", 1, 1, "TODO002", "100% done\nnot really")
    assert github_annotation(odd) == "::error file=docs/a%2Cb%3Ac.md,line=1,col=1,title=TODO002 TODO or FIXME marker in a published document::100%25 done%0Anot really"


def test_json_report_is_a_list_of_problems_with_their_rule():
    [text] = format_problems([PROBLEM], "json")
    assert json.loads(text) == [
        {"path": "articles/my-post.md", "line": 12, "col": 3, "code": "CIT001", "message": PROBLEM.message, "rule": "citation of a key that no BibTeX file defines",
         "severity": "error", "fix": "add the entry to references/*.bib or fix the key"}
    ]
    assert format_problems([PROBLEM], "text") == [str(PROBLEM)]


def test_summary_table_puts_documents_with_problems_first():
    rows = [SummaryRow("docs/explainers/b.md", 0, 1500, 6, 1, 3), SummaryRow("articles/a.md", 2, 3000, 12, 2, None)]
    assert summary_markdown(rows, 2).splitlines() == [
        "### folio check: 2 problems",
        "",
        "| document | problems | words | citations | figures | listings executed |",
        "|---|---:|---:|---:|---:|---:|",
        "| `articles/a.md` | 2 | 3000 | 12 | 2 | not run |",
        "| `docs/explainers/b.md` | 0 | 1500 | 6 | 1 | 3 |",
    ]


def test_cli_prints_annotations_and_appends_the_summary(tmp_path, monkeypatch, capsys):
    bad = explainer().replace("[@williams2009roofline]", "[@nobody2020x]")
    root = make_site(tmp_path, {"docs/explainers/x.md": bad})
    monkeypatch.chdir(root)
    summary = tmp_path / "summary.md"
    assert main(["check", "--format", "github", "--summary", str(summary), "docs/explainers/x.md"]) == 1
    out = capsys.readouterr().out.splitlines()
    line = next(i for i, text in enumerate(bad.split("\n"), start=1) if "[@nobody2020x]" in text)
    assert any(o.startswith(f"::error file=docs/explainers/x.md,line={line},col=") and "nobody2020x" in o for o in out), out
    annotations = [o for o in out if o.startswith("::error ")]
    table = summary.read_text()
    assert table.startswith(f"### folio check: {len(annotations)} problems\n")
    assert f"| `docs/explainers/x.md` | {len(annotations)} |" in table


def test_a_warning_rule_annotates_as_a_warning():
    dead = Problem("articles/a.md", 3, 1, "LNK005", "https://x.example/ is dead (HTTP 404); replace or remove it")
    assert github_annotation(dead).startswith("::warning file=articles/a.md,line=3,col=1,title=LNK005 ")
