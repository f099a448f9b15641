"""The site model declared in mkdocs.yml: declarations are validated, a new type and a second
series need no code, and a removed option is rejected instead of silently ignored."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import build, explainer, make_site, markup
from folio import model
from folio.checks import Context, check_site
from folio.config import ConfigError, load_site_model
from folio.documents import Site
from folio.scaffold import ScaffoldError, create

MINIMAL = {"label": "Notes", "folder": "notes"}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({**MINIMAL, "colour": "red"}, "unknown setting 'colour'"),
        ({"folder": "notes"}, "types.note.label: required"),
        ({**MINIMAL, "min_words": -1}, "types.note.min_words: expected a whole number >= 0"),
        ({**MINIMAL, "min_words": 500, "max_words": 100}, "max_words: 100 is below min_words 500"),
        ({**MINIMAL, "series": "yes"}, "types.note.series: expected true or false"),
        ({**MINIMAL, "sections": ["A"], "last_part_omits": ["A"]}, "only a type with series: true has a last part"),
        ({**MINIMAL, "series": True, "sections": ["A"], "last_part_omits": ["B"]}, "'B' is not one of its sections"),
        ({**MINIMAL, "sections": ["A"], "definitions_section": "Terms"}, "'Terms' is not one of its sections"),
        ({**MINIMAL, "folder": "docs/notes", "url_prefix": "elsewhere"}, "a folder inside docs/ is published at its own path"),
        ({**MINIMAL, "folder": "../outside"}, "must be a folder inside the repository"),
        ({**MINIMAL, "card_fields": ["date", "mood"]}, "card_fields: unknown 'mood'"),
        ({**MINIMAL, "sections": 3}, "types.note.sections: expected a mapping"),
    ],
)
def test_a_bad_declaration_names_the_setting_and_the_fix(entry, message):
    with pytest.raises(model.ModelError, match=message):
        model.doc_type_from_config("note", entry)


def test_a_good_declaration_gets_its_defaults():
    note = model.doc_type_from_config("field-note", {"label": "Field notes", "folder": "docs/field-notes", "sections": {"Context": "Why", "Finding": ""}})
    assert (note.noun, note.url_prefix, note.required_sections, note.in_feed, note.series) == ("field-note", "field-notes", ("Context", "Finding"), True, False)
    assert note.guidance == {"Context": "Why", "Finding": ""}


def test_two_types_cannot_share_a_folder():
    first = model.doc_type_from_config("a", {"label": "A", "folder": "notes"})
    second = model.doc_type_from_config("b", {"label": "B", "folder": "notes", "url_prefix": "b"})
    with pytest.raises(model.ModelError, match=r"folder .notes. is also the folder of types\.a"):
        model.SiteModel((first, second))


def test_the_last_published_part_of_each_series_drops_its_omitted_sections(tmp_path):
    root = make_site(tmp_path, {})
    site_model = load_site_model(root)
    parts = {
        "docs/series/a1.md": ("alpha", 1, "published"),
        "docs/series/a2.md": ("alpha", 2, "published"),
        "docs/series/a3.md": ("alpha", 3, "draft"),
        "docs/series/b1.md": ("beta", 1, "published"),
    }
    sources = [(path, f"---\ntype: series-post\nseries: {series}\npart: {part}\nstatus: {status}\n---\n") for path, (series, part, status) in parts.items()]
    site = Site.from_sources(root, site_model, sources)
    last = {doc.rel_path: doc.last_part for doc in site.documents}
    # a draft part 3 does not make the published part 2 need "What's next"; the draft itself is last
    assert last == {"docs/series/a1.md": False, "docs/series/a2.md": True, "docs/series/a3.md": True, "docs/series/b1.md": True}
    assert [d.part for d in site.series["alpha"]] == [1, 2, 3]


def test_a_removed_option_is_rejected_not_ignored(tmp_path):
    root = make_site(tmp_path, {})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("      pdf: !ENV [FOLIO_PDF, false]\n", "      pdf: !ENV [FOLIO_PDF, false]\n      articles_dir: essays\n"))
    with pytest.raises(ConfigError, match=r"articles_dir.*declare the articles. folder as `folder:`"):
        load_site_model(root)
    result = build(root)
    assert result.returncode != 0 and "articles_dir" in result.output and "Traceback" not in result.output


NEW_TYPE = """      types:
        field-note:
          label: Field notes
          noun: field note
          folder: notes
          url_prefix: notes
          sections:
            Context: What was observed, where.
            Finding: What it shows.
          min_citations: 1
          in_feed: false
          card_fields: [date]
          blurb: Short observations from running systems.
"""


def _part(title: str, series: str, part: int, last: bool) -> str:
    body = explainer(title=title, front_extra=f"series: {series}\npart: {part}\n").replace("type: explainer", "type: series-post")
    body = body.replace("## Problem", "## Overview").replace("## Approach", "### Approach").replace("## Benefits", "### Benefits")
    return body.replace("## Key concepts", "## Key takeaways" if last else "## Key takeaways\n\n- One point.\n\n## What's next")


def _note(title: str, with_finding: bool = True) -> str:
    text = explainer(title=title).replace("type: explainer", "type: field-note")
    text = text.replace("## Problem", "## Context").replace("## Approach", "### Approach").replace("## Benefits", "### Benefits")
    return text.replace("## Key concepts", "## Finding" if with_finding else "### Terms")


def _project(tmp_path, files: dict[str, str]):
    root = make_site(tmp_path, {
        "docs/series/index.md": "# Series\n\n<!-- folio:collection series-post -->\n",
        **files,
    })
    config = root / "mkdocs.yml"
    text = config.read_text()
    assert "      types:\n" in text
    config.write_text(text.replace("      types:\n", NEW_TYPE, 1).replace("      series:\n", "      series:\n        serving-at-scale: Serving at scale\n", 1))
    (root / "notes").mkdir(exist_ok=True)
    (root / "notes" / "index.md").write_text("# Field notes\n\n<!-- folio:collection field-note -->\n")
    return root


def test_a_new_type_and_a_second_series_build_from_declarations_alone(tmp_path):
    root = _project(tmp_path, {
        "notes/gpu-throttling.md": _note("A throttled GPU"),
        "docs/series/first.md": _part("Pipeline part one", "complete-llm-pipeline", 1, last=True),
        "docs/series/scale-one.md": _part("Scale part one", "serving-at-scale", 1, last=False),
        "docs/series/scale-two.md": _part("Scale part two", "serving-at-scale", 2, last=True),
    })
    assert [p for p in check_site(Context.load(root)) if p.code.startswith(("FM", "SEC"))] == []
    result = build(root)
    assert result.returncode == 0, result.output
    note = (result.site / "notes" / "gpu-throttling" / "index.html").read_text()
    assert "folio-header" in markup(note) and "A throttled GPU" in note
    listing = (result.site / "notes" / "index.html").read_text()
    assert 'href="gpu-throttling/"' in listing and "min read" not in listing, "the card shows only the declared card fields"
    two = (result.site / "series" / "scale-two" / "index.html").read_text()
    assert "Serving at scale · Part 2 of 2" in two and 'href="../scale-one/"' in two
    one = (result.site / "series" / "first" / "index.html").read_text()
    assert "Complete LLM Pipeline · Part 1 of 1" in one and 'rel="next"' not in one.split("folio-series-nav", 1)[1].split("</nav>", 1)[0]
    series_index = (result.site / "series" / "index.html").read_text()
    assert '<h2 id="complete-llm-pipeline">Complete LLM Pipeline</h2>' in series_index and '<h2 id="serving-at-scale">Serving at scale</h2>' in series_index
    assert "Field notes" in (result.site / "404.html").read_text(), "the 404 page lists every declared collection"
    feed = (result.site / "feed.xml").read_text()
    assert "scale-two" in feed and "gpu-throttling" not in feed, "a type declared with in_feed: false stays out of the feed"


def test_the_new_types_rules_fail_the_build(tmp_path):
    root = _project(tmp_path, {"notes/no-finding.md": _note("Missing its finding", with_finding=False)})
    result = build(root, "-q")
    assert result.returncode != 0
    assert "notes/no-finding.md" in result.output and "SEC001 missing required section '## Finding' (field-note sections" in result.output


def test_the_scaffold_starts_a_new_series_and_continues_one(tmp_path):
    root = _project(tmp_path, {"docs/series/scale-one.md": _part("Scale part one", "serving-at-scale", 1, last=True)})
    today = dt.date(2026, 11, 28)
    second = create(root, "series-post", "Scale part two", today=today, series="serving-at-scale")
    first_of_new = create(root, "series-post", "Evaluation one", today=today, series="evaluation-in-practice")
    assert "series: serving-at-scale\npart: 2\n" in (root / second).read_text()
    assert "series: evaluation-in-practice\npart: 1\n" in (root / first_of_new).read_text()
    with pytest.raises(ScaffoldError, match="name the series with --series ID"):
        create(root, "series-post", "Which series", today=today)
    with pytest.raises(ScaffoldError, match=r"unknown type .memo.; mkdocs\.yml declares field-note, explainer, series-post, article"):
        create(root, "memo", "A memo", today=today)
    note = create(root, "field-note", "A new note", today=today)
    assert note.as_posix() == "notes/a-new-note.md" and "## Context" in (root / note).read_text()


def test_an_unsupported_bibtex_option_stops_the_build_with_the_fix(tmp_path):
    root = make_site(tmp_path, {})
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("bib_dir: references", "bib_dir: refs"))
    (root / "refs").mkdir()
    result = build(root)
    assert result.returncode != 0 and "set bib_dir: references" in result.output and "Traceback" not in result.output


def test_the_checks_see_the_markdown_mkdocs_renders_after_other_plugins(tmp_path):
    """A hook that rewrites a page before folio runs: the citation it adds is checked, with its line."""
    root = make_site(tmp_path, {"docs/explainers/x.md": explainer()})
    (root / "hooks.py").write_text(
        "from mkdocs.plugins import event_priority\n\n\n"
        "@event_priority(50)\n"
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    return markdown + '\\nAdded by a hook [@nosuchkey2026].\\n'\n"
    )
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "\nhooks:\n  - hooks.py\n")
    result = build(root)
    assert result.returncode != 0
    assert "docs/explainers/x.md" in result.output and "CIT001 unknown citation key 'nosuchkey2026'" in result.output


@pytest.mark.parametrize(
    ("plugins", "options"),
    [
        (["search", {"folio": {"pdf": True}}], {"pdf": True}),
        (["search", "folio"], {}),
        ({"search": {}, "folio": None}, {}),
        (["search"], None),
    ],
)
def test_the_folio_entry_is_found_in_every_form_mkdocs_accepts(plugins, options):
    from folio.config import _plugin_options

    assert _plugin_options(plugins) == options
