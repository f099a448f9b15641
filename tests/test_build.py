"""Fixture sites built with the real configuration: features work, and every error names the file."""

from __future__ import annotations

import gc
import itertools
import json
import re

import pytest

from conftest import ROOT, build, explainer, make_site, markup
from folio.checks import Context, check_site

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("build")]


def test_good_site_builds_with_every_feature(site_factory):
    site = site_factory(
        {
            "docs/explainers/index.md": "# Explainers\n\n<!-- folio:collection explainer -->\n",
            "docs/explainers/good.md": explainer(body_extra="```python\nscheduler_step = 1\n```\n").replace(
                "date: 2026-11-23", 'date: 2026-11-23\nupdated: 2026-11-28\nrevisions:\n  - date: 2026-11-28\n    summary: "Corrected the ridge point after review."'
            ),
            "docs/about/reviews/good.md": "# Review record: good\n\nWhat the review found.\n",
            "docs/articles/index.md": "# Articles\n\n<!-- folio:collection article -->\n",
        }
    )
    result = build(site)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    html = (result.site / "explainers" / "good" / "index.html").read_text()
    # header from front matter, one title
    assert html.count("<h1") == 1 and "Iteration batching in brief" in html
    assert "min read" in html
    # a share card per document: 1200x630, drawn at build time, named in Open Graph, Twitter and JSON-LD
    from PIL import Image

    card = result.site / "explainers" / "good" / "good-card.jpg"
    with Image.open(card) as image:
        assert (image.format, image.size) == ("JPEG", (1200, 630))
    url = "https://llm-systems-notes.github.io/portfolio/explainers/good/good-card.jpg"
    assert f'<meta property="og:image" content="{url}">' in html and '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image:alt" content="Iteration batching in brief: explainer on LLM Systems Notes">' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["image"] == url and ld["publisher"]["logo"]["url"].endswith("/assets/folio-publisher-logo.png")
    with Image.open(result.site / "assets" / "folio-publisher-logo.png") as logo:
        assert logo.size == (600, 60)
        # revisions: an "Updates and corrections" box that links the public review record
    box = re.search(r'<aside class="folio-revisions".*?</aside>', html, re.S)
    assert box is not None, "no Updates and corrections box"
    assert 'datetime="2026-11-28">November 28, 2026</time>: Corrected the ridge point after review.' in box.group(0)
    assert 'href="../../about/reviews/good/">the review record</a>' in box.group(0)
    # figures and tables: semantic markup, numbered, cross-referenced
    assert re.search(r'<figure id="fig-demo">', html)
    assert '<a class="folio-xref" href="#fig-demo">Figure 1</a>' in html
    assert '<a class="folio-xref" href="#tab-demo">Table 1</a>' in html
    assert "<table>" in html and "<figcaption>" in html
    # math is MathML rendered at build time
    assert "<math" in html and "\\frac" not in html
    # citations become notes that link to the DOI, arXiv page or URL
    assert "https://arxiv.org/abs/2309.06180" in html
    assert "https://doi.org/10.1145/1498765.1498785" in html
    assert "[@" not in html
    # the search index holds the prose; code, math and references are on the page but not in it
    entries = json.loads((result.site / "search" / "search_index.json").read_text())["docs"]
    indexed = " ".join(e["text"] for e in entries if e["location"].startswith("explainers/good/"))
    assert "Request-level batching waits" in indexed
    assert "scheduler_step" in html and "scheduler_step" not in indexed
    assert "PagedAttention" in html and "PagedAttention" not in indexed
    assert "<math" not in indexed and "frac" not in indexed
    assert not re.search("[\ue000-\uf8ff]", html), "a private-use placeholder leaked into the page"
    # collection index lists it, and an empty collection says so
    index = (result.site / "explainers" / "index.html").read_text()
    assert "Iteration batching in brief" in index and "min read" in index
    assert "No articles are published yet." in (result.site / "articles" / "index.html").read_text()


def test_articles_are_mounted_and_figures_resolve(site_factory):
    article = explainer(title="Mounted article").replace("type: explainer", "type: article")
    article = article.replace("## Problem", "## Introduction").replace("## Key concepts", "## Conclusion")
    article = article.replace("## Approach", "## Method").replace("## Benefits", "## Results")
    site = site_factory({"articles/mounted.md": article})
    result = build(site)
    assert result.returncode == 0, result.output
    page = result.site / "articles" / "mounted" / "index.html"
    assert page.exists()
    assert 'src="../../figures/demo.svg"' in page.read_text()
    assert "folio-revisions" not in markup(page.read_text()), "a document with no revisions and no record gets no box"
    assert (result.site / "figures" / "demo.svg").exists()
    assert not (result.site / "figures" / "src").exists()


def test_code_emails_and_urls_are_never_citations(site_factory):
    tricky = """
```python
@torch.no_grad()
def f(a, b):
    return a @ b  # [@not_a_key]
```

Indented code:

    @triton.jit
    def kernel(x): ...

Inline `@decorator` and `[@inline_code]`, mail user@example.com, a [link](https://example.com/@user),
<https://mastodon.social/@someone>, a footnote[^note] next to a citation [@kwon2023vllm].

[^note]: A plain footnote.
"""
    site = site_factory({"docs/explainers/tricky.md": explainer(body_extra=tricky, title="Mise à jour: café")})
    result = build(site)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    html = (result.site / "explainers" / "tricky" / "index.html").read_text()
    assert "user@example.com" in html and "@torch" in html and "[@not_a_key]" in html


@pytest.mark.parametrize(
    ("name", "files", "expected"),
    [
        ("bad front matter", {"docs/explainers/x.md": explainer().replace("date: 2026-11-23", "date: yesterday")}, r"docs/explainers/x\.md:5:1: FM003 date"),
        ("yaml error", {"docs/explainers/x.md": explainer().replace("tags: [inference, batching]", "tags: [inference, batching")}, r"docs/explainers/x\.md:\d+:1: FM001 YAML error"),
        ("unknown citation", {"docs/explainers/x.md": explainer().replace("[@williams2009roofline]", "[@nobody2020nothing]")}, r"docs/explainers/x\.md:\d+:\d+: CIT001 unknown citation key 'nobody2020nothing'"),
        ("unknown cross-reference", {"docs/explainers/x.md": explainer().replace("[](#tab-demo)", "[](#tab-missing)")}, r"docs/explainers/x\.md:\d+:\d+: FIG006 cross-reference to unknown id 'tab-missing'"),
        ("missing alt text", {"docs/explainers/x.md": explainer().replace("![A square that stands for one scheduler step]", "![]")}, r"docs/explainers/x\.md:\d+:\d+: FIG002"),
        ("missing section", {"docs/explainers/x.md": explainer().replace("## Benefits", "## Gains")}, r"docs/explainers/x\.md:\d+:1: SEC001 missing required section '## Benefits'"),
        ("unsafe html", {"docs/explainers/x.md": explainer(body_extra='<script>alert(1)</script>')}, r"docs/explainers/x\.md:\d+:\d+: HTML001"),
        ("bad math", {"docs/explainers/x.md": explainer(body_extra="$\\notacommand{x}$")}, r"docs/explainers/x\.md:\d+:\d+: MATH001 formula cannot be rendered"),
    ],
)
def test_errors_fail_the_build_and_name_the_file(site_factory, name, files, expected):
    result = build(site_factory(files))
    assert result.returncode != 0, f"{name}: the build passed"
    assert re.search(expected, result.output), result.output
    assert len(re.findall(expected, result.output)) == 1, f"{name}: reported more than once\n{result.output}"
    assert "data-folio-error" not in "".join(p.read_text() for p in result.site.rglob("*.html")) if result.site.exists() else True
    assert "Traceback" not in result.output


@pytest.mark.parametrize("level", ["-q", "-v"])
def test_content_errors_fail_a_strict_build_whatever_the_log_level(site_factory, level):
    """MkDocs' --quiet hides warnings from its strict counter (mkdocs#4126); ours still fails."""
    untitled = explainer().replace('title: "Iteration batching in brief"\n', "")
    result = build(site_factory({"docs/explainers/x.md": untitled}), level)
    assert result.returncode != 0, result.output
    assert "1 content problem" in result.output and "strict mode fails the build" in result.output
    assert "Traceback" not in result.output


def test_broken_bibtex_fails_with_file_and_line(site_factory):
    result = build(site_factory({"docs/explainers/x.md": explainer()}, bib="@article{broken,\n  title = {Unclosed,\n"))
    assert result.returncode != 0
    assert re.search(r"references/library\.bib:\d+:1: CIT002", result.output), result.output
    assert "Traceback" not in result.output


def test_bib_file_that_is_not_utf8_fails_with_file_and_line(site_factory):
    site = site_factory({"docs/explainers/x.md": explainer()})
    latin1 = "@article{williams2009roofline,\n  title = {Roofline},\n  author = {M\u00fcller, Anna},\n}\n".encode("latin-1")
    (site / "references" / "library.bib").write_bytes(latin1)
    result = build(site)
    assert result.returncode != 0
    assert "references/library.bib:3:1: CIT002 this line is not valid UTF-8; save the file as UTF-8" in result.output, result.output
    assert "Traceback" not in result.output


def test_drafts_are_left_out_of_the_build(site_factory):
    draft = explainer(title="Work in progress").replace("status: published", "status: draft")
    site = site_factory({"docs/explainers/index.md": "# E\n\n<!-- folio:collection explainer -->\n", "docs/explainers/wip.md": draft})
    result = build(site)
    assert result.returncode == 0, result.output
    assert not (result.site / "explainers" / "wip" / "index.html").exists()
    assert "Work in progress" not in (result.site / "explainers" / "index.html").read_text()


def test_built_html_references_nothing_external(site_factory):
    result = build(site_factory({"docs/explainers/x.md": explainer()}))
    assert result.returncode == 0, result.output
    for page in result.site.rglob("*.html"):
        html = page.read_text()
        external = re.compile(r'<script[^>]+src="(?:https?:)?//|<link[^>]+rel="(?:stylesheet|preload|preconnect|modulepreload|icon)"[^>]+href="(?:https?:)?//|<img[^>]+src="(?:https?:)?//')
        assert not external.search(html), f"{page}: external asset {external.search(html).group(0)}"
        assert "fonts.googleapis" not in html


def test_real_site_builds_strictly(real_site):
    assert (real_site / "index.html").exists()
    for collection in ("explainers", "series", "articles"):
        assert (real_site / collection / "index.html").exists()
    # every series part offers its listings as a runnable file beside the page, linked from it
    parts = sorted((ROOT / "docs" / "series").glob("[!i]*.md"))
    assert len(parts) >= 8
    for part in parts:
        folder = real_site / "series" / part.stem
        script = (folder / f"{part.stem}.py").read_text()
        compile(script, part.stem, "exec")
        assert f'<a href="{part.stem}.py" download>' in (folder / "index.html").read_text()
    # one reading order: each part's rel=next and footer lead to the next part, as the series box does
    order = sorted(parts, key=lambda path: int(re.search(r"^part: (\d+)$", path.read_text(), re.M).group(1)))
    for part, following in itertools.pairwise(order):
        html = (real_site / "series" / part.stem / "index.html").read_text()
        assert f'<link rel="next" href="../{following.stem}/">' in html, f"{part.stem}: rel=next is not part {following.stem}"
        assert re.search(rf'<a href="\.\./{following.stem}/" class="md-footer__link md-footer__link--next"', html), part.stem
    # reference lists show decoded text, not TeX (hidden\_size, \&, M{\"u}ller)
    for page in real_site.rglob("index.html"):
        notes = "".join(re.findall(r'<div class="footnote">.*?</ol>', page.read_text(), re.S))
        leaked = re.findall(r"\\[_&%$#]|\{\\|\\(?:emph|textit|url)\b", notes)
        assert not leaked, f"{page.relative_to(real_site)}: raw TeX in references: {leaked[:3]}"
    home = (real_site / "index.html").read_text()
    assert '<link rel="next" href="explainers/">' in home, "the footer follows the tabs: home, then the explainers"


def test_series_post_with_bad_front_matter_gets_no_half_header(site_factory):
    post = (
        explainer(title="A part", front_extra="series: complete-llm-pipeline\npart: 1\n")
        .replace("type: explainer", "type: series-post")
        .replace("date: 2026-11-23", "date: someday")
    )
    result = build(site_factory({"docs/series/part.md": post}), "--no-strict")
    assert "FM003 date" in result.output and "Traceback" not in result.output
    html = (result.site / "series" / "part" / "index.html").read_text()
    assert "folio-header" not in markup(html) and "folio-series-nav" not in markup(html)


def test_cards_come_from_partials_a_site_can_override(site_factory):
    site = site_factory({"docs/explainers/index.md": "# Explainers\n\n<!-- folio:collection explainer -->\n", "docs/explainers/good.md": explainer()})
    (site / "overrides" / "partials" / "folio-card.html").write_text('<li class="my-card"><a href="{{ card.url }}">{{ card.title }}</a> ({{ card.reading_time }} min)</li>\n')
    result = build(site)
    assert result.returncode == 0, result.output
    index = (result.site / "explainers" / "index.html").read_text()
    assert '<li class="my-card"><a href="good/">Iteration batching in brief</a> (1 min)</li>' in index
    assert '<li class="my-card">' in (result.site / "index.html").read_text(), "the landing page's latest cards use the same partial"


def test_front_matter_closed_with_dots_is_read_as_mkdocs_reads_it(site_factory):
    """YAML's '...' end marker closes front matter in MkDocs; the checks must agree, not fail."""
    text = explainer().replace("status: published\n---", "status: published\n...", 1)
    site = site_factory({"docs/explainers/x.md": text})
    assert [p for p in check_site(Context.load(site)) if p.path == "docs/explainers/x.md" and p.code.startswith(("FM", "SEC"))] == []
    result = build(site)
    assert result.returncode == 0, result.output
    assert "Iteration batching in brief" in (result.site / "explainers" / "x" / "index.html").read_text()


def test_scripts_wait_for_the_first_paint_and_keep_their_type(site_factory):
    """Material's bundle and extra_javascript are held back (a type browsers do not run) for the
    loader in overrides/main.html; a module script is loaded as a module."""
    site = site_factory({"docs/explainers/x.md": explainer(), "docs/assets/extra.mjs": "export const ready = true;\n"})
    config = (site / "mkdocs.yml").read_text()
    (site / "mkdocs.yml").write_text(config.replace("extra_javascript:\n", "extra_javascript:\n  - path: assets/extra.mjs\n    type: module\n", 1))
    assert build(site).returncode == 0
    page = (site / "site" / "explainers" / "x" / "index.html").read_text()
    held = re.findall(r"<script [^>]*\bsrc=[^>]*>", page)
    assert held and all(tag.startswith('<script type="text/folio-after-load" src=') for tag in held), held
    assert any("bundle." in tag for tag in held) and any("folio.js" in tag for tag in held)
    assert [tag for tag in held if "extra.mjs" in tag] == ['<script type="text/folio-after-load" src="../../assets/extra.mjs" data-folio-type="module">']


def test_a_build_freezes_what_it_keeps_while_pages_render_and_unfreezes_it_after(tmp_path, monkeypatch):
    import folio.plugin

    frozen_while_rendering: list[int] = []
    rules = folio.plugin.build_problems

    def counting_rules(doc, ctx):
        frozen_while_rendering.append(gc.get_freeze_count())
        return rules(doc, ctx)

    def failing_rules(doc, ctx):
        raise RuntimeError("a page fails halfway through the build")

    (tmp_path / "good").mkdir()
    (tmp_path / "failing").mkdir()
    monkeypatch.setattr(folio.plugin, "build_problems", counting_rules)
    assert build(make_site(tmp_path / "good", {"docs/explainers/x.md": explainer()})).returncode == 0
    assert frozen_while_rendering and min(frozen_while_rendering) > 0
    assert gc.get_freeze_count() == 0

    monkeypatch.setattr(folio.plugin, "build_problems", failing_rules)
    failed = build(make_site(tmp_path / "failing", {"docs/explainers/x.md": explainer()}))
    assert failed.returncode != 0 and "a page fails halfway" in failed.output
    assert gc.get_freeze_count() == 0, "a failed build left objects frozen"

    (tmp_path / "host").mkdir()
    monkeypatch.setattr(folio.plugin, "build_problems", rules)
    gc.freeze()  # a program that froze its own objects before building: they stay frozen
    try:
        before = gc.get_freeze_count()
        assert build(make_site(tmp_path / "host", {"docs/explainers/x.md": explainer()})).returncode == 0
        assert 0 < gc.get_freeze_count() <= before, "the build unfroze what it had not frozen, or froze more"
    finally:
        gc.unfreeze()
