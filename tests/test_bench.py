"""`folio bench`: the corpora it builds, the order it times them in, and the verdicts it prints."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
import yaml

from conftest import explainer, make_site
from folio import bench
from folio.documents import Site


def article(title: str) -> str:
    text = explainer(title=title).replace("type: explainer", "type: article")
    return text.replace("## Problem", "## Introduction").replace("## Key concepts", "## Conclusion")


@pytest.fixture
def small_site(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    return make_site(root, {"docs/explainers/one.md": explainer(), "articles/two.md": article("Two")})


def test_corpus_copies_documents_round_robin_with_distinct_slugs_and_titles(small_site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bench.make_corpus(small_site, corpus, 5)
    docs = Site.load(corpus).collection_documents
    assert len(docs) == 5
    assert len({d.slug for d in docs}) == 5 and len({d.meta["title"] for d in docs}) == 5
    # two sources, five copies: one type three times, the other twice
    assert sorted(Counter(d.doc_type.name for d in docs).values()) == [2, 3]


def test_plain_twin_has_the_same_markdown_without_our_plugins_or_extensions(small_site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bench.make_corpus(small_site, corpus, 2)
    plain = bench.plain_config(corpus)
    config = yaml.safe_load((plain / "mkdocs.yml").read_text())
    assert config["plugins"] == ["search"] and "custom_dir" not in config["theme"]
    names = {next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]}
    assert not names & bench.OUR_EXTENSIONS and "pymdownx.arithmatex" in names
    assert (plain / "docs" / "articles" / "two-0.md").read_text() == (corpus / "articles" / "two-0.md").read_text()


def test_rounds_visit_every_size_and_alternate_the_configurations(monkeypatch, tmp_path):
    order = []

    def time_build(folder, without_cache=False):
        order.append(folder.name + (" uncached" if without_cache else ""))
        return bench.Measurement(1.0, 1.0)

    monkeypatch.setattr(bench, "time_build", time_build)
    C = bench.Configuration
    sizes = [[C(tmp_path / "full50"), C(tmp_path / "plain50"), C(tmp_path / "full50", without_cache=True)], [C(tmp_path / "full500"), C(tmp_path / "plain500")]]
    results = bench.interleaved_builds(sizes, 2)
    assert order == [
        "full50", "plain50", "full50 uncached", "full500", "plain500",
        "full50 uncached", "plain50", "full50", "plain500", "full500",
    ]  # fmt: skip
    assert [[len(runs) for runs in size] for size in results] == [[2, 2, 2], [2, 2]]


def test_a_build_without_the_cache_starts_without_it(tmp_path, monkeypatch):
    (tmp_path / ".cache" / "folio").mkdir(parents=True)
    (tmp_path / ".cache" / "folio" / "library.pickle").write_text("cached")
    seen = []
    monkeypatch.setattr(
        bench.subprocess,
        "run",
        lambda *a, **k: seen.append((tmp_path / ".cache" / "folio").exists()) or SimpleNamespace(returncode=0, stdout='{"maxrss_kib": 1024}'),
    )
    bench.time_build(tmp_path)
    bench.time_build(tmp_path, without_cache=True)
    assert seen == [True, False]


def row(size: int, full: float, plain: float, check: float = 1.0, **more: float) -> dict[str, float]:
    return {"size": size, "full": full, "plain": plain, "full_mib": 1, "plain_mib": 1, "check": check, **more}


def test_verdicts_say_no_when_a_target_is_missed():
    table = bench.render([row(50, 3.0, 2.0), row(500, 40.0, 30.0, check=25.0)], [3.5], 3)
    assert "| full / plain at most 1.25 at every size, with or without the library cache | no | worst 1.50 |" in table
    assert "| ms per document at 500 within 15% of 50 | no | 1.33 |" in table
    assert "| `folio check` under 20 s at 500 documents | no | 25.0 s |" in table
    assert "| rebuild after editing one article under 3 s | no | 3.50 s |" in table


def test_verdicts_say_yes_when_every_target_is_met():
    table = bench.render([row(50, 2.5, 2.2), row(500, 25.0, 24.0)], [1.7], 3)
    assert "| no |" not in table and table.count("| yes |") == 4


def test_fixed_cost_is_the_difference_on_a_one_document_corpus():
    table = bench.render([row(50, 2.5, 2.2), row(500, 25.0, 24.0)], [1.7], 3, fixed=row(1, 0.68, 0.48))
    assert "builds in 0.68 s full and 0.48 s plain: 0.20 s is what our additions cost" in table


def test_the_target_holds_for_the_slower_of_the_builds_with_and_without_the_cache():
    table = bench.render([row(50, 2.4, 2.0, uncached=2.6), row(500, 25.0, 24.0)], [1.7], 3)
    assert "50 documents build in 2.60 s full, 1.30 times plain (medians of 3 builds in the same rounds)." in table
    assert "| full / plain at most 1.25 at every size, with or without the library cache | no | worst 1.30 |" in table
    assert bench.summarise(50, [[bench.Measurement(2.0, 1)], [bench.Measurement(1.0, 1)], [bench.Measurement(3.0, 1)]], 1.0)["uncached"] == 3.0


@pytest.mark.build
@pytest.mark.xdist_group("serve")
def test_bench_runs_end_to_end_and_writes_the_page(small_site):
    assert bench.main(small_site, [2], 1) == 0
    page = (small_site / bench.RESULTS_PAGE).read_text()
    assert "| 2 |" in page and "rebuild after editing one article" in page and "nan" not in page
    assert "A one-document corpus builds in" in page and "Without that cache" in page and "worst" in page
