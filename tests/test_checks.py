"""Every rule of `folio check` fires on bad input (code, file and line) and stays quiet on good input."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest

from conftest import GOOD_BIB, ROOT, explainer, make_site
from folio import model
from folio.checks import Context, check_site
from folio.config import load_site_model
from folio.problems import FAMILIES, RULES, Problem

SITE_MODEL = load_site_model(ROOT)



def run(tmp_path: Path, files: dict[str, str], bib: str = GOOD_BIB, only: list[str] | None = None) -> list[Problem]:
    root = make_site(tmp_path, files, bib)
    ctx = Context.load(root)
    selected = [d for d in ctx.site.documents if d.rel_path in only] if only else None
    return check_site(ctx, selected)


def codes(problems: list[Problem], prefix: str) -> list[Problem]:
    return [p for p in problems if p.code.startswith(prefix)]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


GOOD = explainer()
PATH = "docs/explainers/x.md"

# (rule, bad document text, the text on the line the problem must point at)
CASES = [
    ("FM001", GOOD.replace("tags: [inference, batching]", "tags: [inference, batching]]"), "tags: [inference, batching]]"),
    ("FM003", GOOD.replace("date: 2026-11-23", "date: 2026-11-23\nupdated: 2026-01-01"), "updated: 2026-01-01"),
    ("FM003", GOOD.replace("status: published", "status: published\ncolour: blue"), "colour: blue"),
    ("FM003", GOOD.replace("date: 2026-11-23", "date: 23/11/2026"), "date: 23/11/2026"),
    ("FM003", GOOD.replace("authors: [llm-systems-notes]", "authors: [nobody]"), "authors: [nobody]"),
    ("FM003", GOOD.replace("type: explainer", "type: article"), "type: article"),
    ("FM003", GOOD.replace("date: 2026-11-23", 'date: 2026-11-23\nrevisions:\n  - date: 2026-11-24\n    summary: "Fixed the ridge point."'), "revisions:"),
    ("FM003", GOOD.replace('description: "Iteration-level scheduling in brief: fewer idle GPU cycles between LLM requests."', "description: Too short."), "description: Too short."),
    ("FM003", GOOD.replace('description: "Iteration-level scheduling in brief: fewer idle GPU cycles between LLM requests."', 'description: "How iteration-level scheduling keeps a GPU busy while requests come and go."'), "description:"),
    ("FM003", GOOD.replace('description: "Iteration-level scheduling in brief: fewer idle GPU cycles between LLM requests."\n', ""), "---"),
    ("FM003", GOOD.replace('title: "Iteration batching in brief"', 'title: "' + "A title that runs on and on past what any search result can show in full" + '"'), "title:"),
    ("MATH001", GOOD.replace("Higher throughput", "Cost $\\notacommand{x}$ grows. Higher throughput"), "notacommand"),
    ("SEC001", GOOD.replace("## Benefits", "## Gains"), "## Approach"),
    ("SEC002", GOOD.replace("## Approach", "## TEMP").replace("## Benefits", "## Approach").replace("## TEMP", "## Benefits"), "## Approach"),
    ("SEC003", GOOD.replace("## Problem", "# Big title\n\n## Problem"), "# Big title"),
    ("SEC004", GOOD.replace("## Benefits\n", "## Benefits\n\n#### Too deep\n\nText.\n"), "#### Too deep"),
    ("SEC005", GOOD.replace("## Benefits\n", "## Empty one\n\n## Benefits\n"), "## Empty one"),
    ("SEC006", GOOD.replace("## Benefits\n", "## Benefits\n\n```python\nx = 1\n```\nGlued to the block.\n\n"), "Glued to the block."),
    ("CIT001", GOOD.replace("[@williams2009roofline]", "[@nobody2020x]"), "[@nobody2020x]"),
    ("FIG001", GOOD.replace("/figures/demo.svg", "/figures/missing.svg"), "/figures/missing.svg"),
    ("FIG002", GOOD.replace("![A square that stands for one scheduler step]", "![]"), "![](/figures/demo.svg)"),
    ("FIG008", GOOD.replace("![A square that stands for one scheduler step]", "![" + "A square that stands for one scheduler step " * 4 + "]"), "![A square that stands"),
    ("FIG008", GOOD.replace("![A square that stands for one scheduler step]", "![A step ending in data: [DONE], " + "then more words " * 9 + "]"), "![A step ending in data: [DONE]"),
    ("EXE005", GOOD.replace("## Benefits\n", "## Benefits\n\n```text\n" + "w" * 89 + "\n```\n\n"), "w" * 89),
    ("FIG003", GOOD.replace("/// figure-caption | #fig-demo\nOne scheduler step.\n///\n", "").replace("[](#fig-demo)", "Figure"), "![A square"),
    ("FIG004", GOOD.replace("[](#fig-demo)", "the figure"), "/// figure-caption | #fig-demo"),
    ("FIG006", GOOD.replace("[](#tab-demo)", "[](#tab-nope)"), "[](#tab-nope)"),
    ("FIG007", GOOD.replace("/// table-caption | #tab-demo", "/// table-caption | #fig-demo"), "/// table-caption | #fig-demo"),
    ("HTML001", GOOD.replace("Higher throughput", '<iframe src="https://example.com"></iframe> Higher throughput'), "<iframe"),
    ("HTML002", GOOD.replace("Higher throughput", '<span onclick="steal()">x</span> Higher throughput'), "onclick"),
    ("HTML003", GOOD.replace("Higher throughput", "[click](javascript:alert(1)) Higher throughput"), "javascript:"),
    ("LNK001", GOOD.replace("Higher throughput", "[see](/articles/nothing-here.md) Higher throughput"), "nothing-here"),
    ("LNK002", GOOD.replace("Higher throughput", "[see](#no-such-heading) Higher throughput"), "#no-such-heading"),
    ("LNK003", GOOD.replace("Higher throughput", "[see](../../../etc/passwd) Higher throughput"), "etc/passwd"),
    ("LNK004", GOOD.replace("Higher throughput", "[see](https:/example.com) Higher throughput"), "https:/example.com"),
    ("SPL001", GOOD.replace("Higher throughput", "Higher throughput, as teh results show,"), "teh results"),
    ("TODO001", GOOD.replace("Higher throughput", "TODO(folio): write this. Higher throughput"), "TODO(folio)"),
    ("TODO002", GOOD.replace("Higher throughput", "FIXME check this. Higher throughput"), "FIXME check"),
]


@pytest.mark.parametrize(("rule", "bad", "needle"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_bad_input(tmp_path, rule, bad, needle):
    found = [p for p in run(tmp_path, {PATH: bad}) if p.code == rule]
    assert found, f"{rule} did not fire"
    assert found[0].path == PATH
    assert found[0].line == line_of(bad, needle), found
    registered = RULES[rule]  # every code a check reports is in the registry, under its family
    assert registered.family == rule.rstrip("0123456789") and registered.fix


@pytest.mark.parametrize("prefix", ["FM", "SEC", "CIT001", "FIG00", "HTML", "LNK", "SPL", "TODO", "MATH", "GPU", "EXE005"])
def test_rules_stay_quiet_on_good_input(tmp_path, prefix):
    assert codes(run(tmp_path, {PATH: GOOD}, only=[PATH]), prefix) == []


REVISED = 'date: 2026-11-23\nupdated: 2026-11-28\nrevisions:\n  - date: 2026-11-25\n    summary: "Fixed the ridge point of the H100."\n  - date: 2026-11-28\n    summary: "Added a measured decode step."'


def test_revisions_stay_quiet_when_valid(tmp_path):
    doc = GOOD.replace("date: 2026-11-23", REVISED)
    assert codes(run(tmp_path, {PATH: doc}, only=[PATH]), "FM") == []


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ({"revisions": "fixed things"}, "expected a list of"),
        ({"revisions": [{"date": dt.date(2026, 11, 28)}]}, "entry 1 has date; expected exactly the keys date and summary"),
        ({"revisions": [{"date": "yesterday", "summary": "Fixed the ridge point."}]}, "entry 1: 'yesterday' is not a date"),
        ({"revisions": [{"date": dt.date(2026, 11, 28), "summary": "short"}]}, "entry 1: summary must be one line"),
        ({"revisions": [{"date": dt.date(2026, 11, 1), "summary": "Fixed the ridge point."}]}, "before date 2026-11-23"),
        (
            {"revisions": [{"date": dt.date(2026, 11, 28), "summary": "Fixed the ridge point."}, {"date": dt.date(2026, 11, 25), "summary": "Added a measured step."}]},
            "list revisions oldest first",
        ),
        ({"updated": None, "revisions": [{"date": dt.date(2026, 11, 28), "summary": "Fixed the ridge point."}]}, "set updated: 2026-11-28"),
    ],
)
def test_revisions_schema_names_the_entry_and_the_fix(front, message):
    meta = {"title": "T", "summary": "A summary of twenty characters or more.", "description": "A description for search results of fifty characters or more.", "date": dt.date(2026, 11, 23), "updated": dt.date(2026, 11, 28),
            "authors": ["llm-systems-notes"], "tags": ["x"], "type": "explainer", "status": "published"}
    meta.update(front)
    if meta["updated"] is None:
        del meta["updated"]
    errors = [e for e in model.validate_front_matter(meta, SITE_MODEL) if e.field == "revisions"]
    assert any(message in e.message for e in errors), errors


FALSE_POSITIVE_TRAPS = """
```python
@torch.no_grad()
def f(a, b):
    return a @ b  # [@not_a_key] TODO in code is fine, <script> too
```

Inline `@triton.jit` and `[@inline]`, mail user@example.com, a [profile](https://example.com/@user),
<https://mastodon.social/@someone>, a footnote[^n] next to a citation [@kwon2023vllm], and
an e-mail in brackets [write to a@b.org]. HTML comments are ignored: <!-- [@hidden] TODO -->

[^n]: A plain footnote.
"""


def test_traps_for_false_positives_stay_quiet(tmp_path):
    doc = explainer(title="Déjà vu: caches and the café", body_extra=FALSE_POSITIVE_TRAPS)
    problems = run(tmp_path, {PATH: doc}, only=[PATH])
    noisy = [p for p in problems if p.code.startswith(("CIT", "HTML", "TODO", "LNK", "FM", "SEC", "FIG", "SPL"))]
    assert noisy == []


def test_bibtex_rules(tmp_path):
    bib = GOOD_BIB + """
@misc{noid2024,
  title  = {No identifier},
  author = {Doe, Jane},
  year   = {2024},
}

@misc{badids2024,
  title         = {Bad identifiers},
  author        = {Doe, Jane},
  year          = {2024},
  doi           = {https://doi.org/10.1/x},
  eprint        = {23.1},
  archivePrefix = {arXiv},
  note          = {Peak ~160 GB/s as in Fig.~3},
}

@misc{kwon2023vllm,
  title  = {Duplicate},
  author = {Doe, Jane},
  year   = {2023},
  url    = {https://example.com},
}
"""
    problems = run(tmp_path, {PATH: GOOD}, bib=bib)
    by_code = {p.code: p for p in problems if p.code.startswith("CIT")}
    text = bib.split("\n")
    assert by_code["CIT003"].line == text.index("@misc{noid2024,") + 1
    assert by_code["CIT004"].line == text.index("@misc{badids2024,") + 1
    assert by_code["CIT005"].line == text.index("@misc{badids2024,") + 1
    assert by_code["CIT007"].path == "references/library.bib"
    assert by_code["CIT008"].line == text.index("@misc{badids2024,") + 1 and "write 'about 160'" in by_code["CIT008"].message
    assert len([p for p in problems if p.code == "CIT008"]) == 1, "the tie in Fig.~3 is not reported"
    assert any(p.code == "CIT006" and "noid2024" in p.message for p in problems)


def test_bibtex_syntax_error_names_file_and_line(tmp_path):
    problems = run(tmp_path, {PATH: GOOD}, bib=GOOD_BIB + "\n@misc{broken,\n  title = {Unclosed,\n")
    assert [p for p in problems if p.code == "CIT002" and p.path == "references/library.bib" and p.line > 20]


def test_unused_figure_and_duplicate_titles(tmp_path):
    other = explainer().replace("Iteration batching in brief", "Iteration batching in brief")
    root = make_site(tmp_path, {PATH: GOOD, "docs/explainers/y.md": other})
    (root / "figures" / "orphan.svg").write_text("<svg/>")
    problems = check_site(Context.load(root))
    assert any(p.code == "FIG005" and p.path == "figures/orphan.svg" for p in problems)
    assert any(p.code == "FM004" and p.path == "docs/explainers/y.md" and p.line == 2 for p in problems)


def test_standard_rules_fire_on_a_thin_article(tmp_path):
    article = GOOD.replace("type: explainer", "type: article").replace("## Problem", "## Introduction").replace("## Key concepts", "## Conclusion")
    problems = run(tmp_path, {"articles/thin.md": article}, only=["articles/thin.md"])
    fired = {p.code for p in problems}
    assert {"STD001", "STD002", "STD003", "STD005", "STD008"} <= fired


def test_list_rules_covers_every_code_used():
    source = "\n".join(p.read_text() for p in (Path(__file__).parent.parent / "src" / "folio").rglob("*.py"))
    import re

    used = set(re.findall(r'"((?:FM|SEC|STD|LNK|CIT|FIG|HTML|SPL|TODO|EXE|MATH|GPU)\d{3})"', source))
    assert used <= set(RULES), used - set(RULES)
    for rule in RULES.values():
        assert rule.family in FAMILIES and rule.code.startswith(rule.family) and rule.severity in ("error", "warning")
        assert rule.summary and rule.fix and not rule.fix.endswith("."), rule


def test_the_build_runs_exactly_the_rules_marked_in_build(tmp_path):
    """A page with a problem of every build family: what build_problems reports is marked in_build."""
    from folio.checks import build_problems

    bad = GOOD.replace("[](#tab-demo)", "[](#tab-nope)").replace("Higher throughput", "<iframe></iframe> $\\nocmd$ [@nobody2024x] Higher throughput")
    root = make_site(tmp_path, {PATH: bad})
    ctx = Context.load(root)
    found = {p.code for p in build_problems(next(d for d in ctx.site.documents if d.rel_path == PATH), ctx)}
    assert found == {"FIG004", "FIG006", "HTML001", "MATH001", "CIT001"}, found  # tab-demo is no longer referenced
    assert all(RULES[code].in_build for code in found)


def test_citation_before_a_colon_counts_but_a_link_definition_does_not():
    from folio.scan import Source

    keys = [c.key for c in Source("Scale and zero point [@jacob2018quantization]:\n\n[@notacitation]: https://example.com\n").citations]
    assert keys == ["jacob2018quantization"]


def test_online_link_check_reports_a_dead_link(tmp_path, monkeypatch):
    """--online requests each external link once; a local server stands in for the web. (The
    pause between two requests to one host is test_linkcheck's; here it would be a second of
    waiting.)"""
    from folio import linkcheck
    from folio.pdf import serve

    monkeypatch.setattr(linkcheck, "Settings", functools.partial(linkcheck.Settings, per_host_interval=0.0))

    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<p>alive</p>")
    with serve(web) as base:
        doc = GOOD.replace("Higher throughput", f"[alive]({base}) and [dead]({base}no-such-page) Higher throughput")
        root = make_site(tmp_path, {PATH: doc})
        ctx = Context.load(root)
        problems = [p for p in check_site(ctx, [d for d in ctx.site.documents if d.rel_path == PATH], online=True) if p.code == "LNK005"]
    assert len(problems) == 1 and "no-such-page" in problems[0].message and "404" in problems[0].message


def test_drafts_skip_the_counts_but_not_the_guidance_notes(tmp_path):
    thin = GOOD.replace("type: explainer", "type: article").replace("## Problem", "## Introduction").replace("## Key concepts", "## Conclusion")
    draft = thin.replace("status: published", "status: draft").replace("Higher throughput", "TODO(folio): finish. Higher throughput")
    problems = run(tmp_path, {"articles/thin.md": draft}, only=["articles/thin.md"])
    assert not [p for p in problems if p.code.startswith("STD")]
    assert [p for p in problems if p.code == "TODO001"]


def test_missing_front_matter_and_duplicate_slug(tmp_path):
    no_front = GOOD.split("---\n", 2)[2]
    article = GOOD.replace("type: explainer", "type: article").replace("Iteration batching in brief", "Another title")
    problems = run(tmp_path, {PATH: no_front, "articles/x.md": article})
    assert any(p.code == "FM002" and p.path == PATH and p.line == 1 for p in problems)
    assert any(p.code == "FM005" and p.path in (PATH, "articles/x.md") for p in problems)


def test_representative_pages_cover_every_element_kind(tmp_path):
    from conftest import page_elements, representative_pages

    pages = {"": "<p class='a'>x</p>", "docs/": "<p class='a'>y</p>", "docs/one/": "<table class='t'></table>", "docs/two/": "<p class='a'></p><code class='k'>z</code>"}
    for path, html in pages.items():
        (tmp_path / path).mkdir(parents=True, exist_ok=True)
        (tmp_path / path / "index.html").write_text(html)
    chosen = representative_pages(tmp_path)
    assert set(chosen[:3]) == {"", "docs/", "docs/one/"}, "one page per kind (section and depth) first"
    assert chosen[3:] == ["docs/two/"], "then the page that adds an uncovered element kind"
    assert set().union(*(page_elements(html) for html in pages.values())) == {"p", "p.a", "table", "table.t", "code", "code.k"}
