"""How `folio check` reports: plain lines, GitHub workflow annotations, JSON, and a job summary.

GitHub turns `::error file=...,line=...,col=...,title=...::message` lines printed by a workflow
step into annotations on the pull request's changed lines. Its format needs '%', CR and LF
escaped in the message, and ':' and ',' too in the properties.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from folio.documents import Document
from folio.problems import RULES, Problem

FORMATS = ("text", "github", "json")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """One workflow command that annotates the problem's file, line and column."""
    rule = RULES.get(problem.code)
    title = f"{problem.code} {rule.summary}" if rule else problem.code
    level = rule.severity if rule else "error"
    properties = f"file={_escape_property(problem.path)},line={problem.line},col={problem.col},title={_escape_property(title)}"
    return f"::{level} {properties}::{_escape_data(problem.message)}"


def json_report(problems: list[Problem]) -> str:
    def rule_fields(code: str) -> dict[str, str]:
        rule = RULES.get(code)
        return {"rule": rule.summary, "severity": rule.severity, "fix": rule.fix} if rule else {"rule": "", "severity": "error", "fix": ""}

    return json.dumps([{**asdict(p), **rule_fields(p.code)} for p in problems], indent=2, ensure_ascii=False)


def format_problems(problems: list[Problem], fmt: str) -> list[str]:
    if fmt == "github":
        return [github_annotation(p) for p in problems]
    if fmt == "json":
        return [json_report(problems)]
    return [str(p) for p in problems]


@dataclass(frozen=True)
class SummaryRow:
    document: str
    problems: int
    words: int
    citations: int
    figures: int
    listings_executed: int | None  # None when listings were not run


def summary_row(doc: Document, problems: list[Problem], executed: dict[str, int] | None) -> SummaryRow:
    source = doc.source
    return SummaryRow(
        doc.rel_path,
        sum(1 for p in problems if p.path == doc.rel_path),
        source.word_count,
        len({c.key for c in source.citations}),
        sum(1 for c in source.captions if c.kind == "figure"),
        executed.get(doc.rel_path, 0) if executed is not None else None,
    )


def summary_markdown(rows: list[SummaryRow], total_problems: int) -> str:
    """The job summary: one row per document, problems first."""
    verdict = "no problems" if total_problems == 0 else f"{total_problems} problem{'s' if total_problems != 1 else ''}"
    lines = [
        f"### folio check: {verdict}",
        "",
        "| document | problems | words | citations | figures | listings executed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (-r.problems, r.document)):
        executed = "not run" if row.listings_executed is None else str(row.listings_executed)
        lines.append(f"| `{row.document}` | {row.problems} | {row.words} | {row.citations} | {row.figures} | {executed} |")
    return "\n".join(lines) + "\n"
