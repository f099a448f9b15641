"""The real content: every document passes every rule, and its listings run (one test per document)."""

from __future__ import annotations

import pytest

from conftest import LISTING_WORKERS, ROOT
from folio.checks import Context, check_site, document_problems
from folio.execute import run_document
from folio.gpu import cuda_available

CTX = Context.load(ROOT)
DOCUMENTS = CTX.site.collection_documents
IDS = [d.rel_path for d in DOCUMENTS]
WITH_LISTINGS = [d for d in DOCUMENTS if any(b.lang in ("python", "yaml", "yml", "bash", "sh") for b in d.source.code_blocks)]


@pytest.mark.parametrize("doc", DOCUMENTS, ids=IDS)
def test_document_passes_every_rule(doc):
    problems = document_problems(doc, CTX)
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.exec
@pytest.mark.parametrize("doc", WITH_LISTINGS, ids=[d.rel_path for d in WITH_LISTINGS])
def test_document_listings_run(doc):
    report = run_document(doc, workers=LISTING_WORKERS)
    assert report.failed == 0, "\n".join(map(str, report.problems))
    assert report.problems == [], "\n".join(map(str, report.problems))


@pytest.mark.exec
@pytest.mark.skipif(not cuda_available(), reason="no CUDA GPU: the listings' GPU path runs only on a GPU machine (folio check --exec --device cuda)")
@pytest.mark.parametrize("doc", WITH_LISTINGS, ids=[d.rel_path for d in WITH_LISTINGS])
def test_document_listings_run_on_a_gpu(doc):
    """The same listings compiled for the GPU, with PyTorch's default device set to CUDA: catches a
    tensor made without `device=` and a tolerance that only the interpreter's fp32 meets."""
    report = run_document(doc, device="cuda")
    assert report.failed == 0 and report.problems == [], "\n".join(map(str, report.problems))


def test_site_wide_rules():
    problems = check_site(CTX)
    assert problems == [], "\n".join(map(str, problems))


def test_review_records_belong_to_documents_and_are_listed():
    """docs/about/reviews/<slug>.md is a document's public record: its slug names a document, the
    record links back to it, and the index of records lists it."""
    folder = ROOT / "docs" / "about" / "reviews"
    index = (folder / "index.md").read_text(encoding="utf-8")
    slugs = {d.slug: d for d in DOCUMENTS}
    records = sorted(p for p in folder.glob("*.md") if p.name != "index.md")
    for record in records:
        assert record.stem in slugs, f"{record.name}: no document has the slug {record.stem!r}"
        doc = slugs[record.stem]
        assert f"(/{doc.site_path})" in record.read_text(encoding="utf-8"), f"{record.name} does not link /{doc.site_path}"
        assert f"]({record.name})" in index, f"docs/about/reviews/index.md does not list {record.name}"
