"""Discovery metadata on every document page of the real site, and a feed that lists them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT
from folio import model
from folio.documents import Site

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("realsite")]

PUBLISHED = [d for d in Site.load(ROOT).collection_documents if not d.is_draft and not d.front.error]


def page_of(site, doc):
    return (site / doc.url_path / "index.html").read_text()


@pytest.mark.parametrize("doc", PUBLISHED, ids=[d.rel_path for d in PUBLISHED])
def test_document_page_metadata(real_site, doc):
    html = page_of(real_site, doc)
    summary = str(doc.meta["summary"])
    assert f'<meta name="description" content="{summary[:40]}' in html.replace("&#39;", "'").replace("&quot;", '"')
    assert re.search(r'<link rel="canonical" href="https://[^"]+/' + re.escape(doc.slug) + '/">', html)
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        assert f'property="{prop}"' in html, prop
    assert 'name="twitter:card"' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "TechArticle" and ld["headline"] == doc.meta["title"]
    assert ld["author"] and ld["datePublished"] == str(doc.meta["date"]) and ld["keywords"]
    assert "Cite this" in html and "@misc{" in html
    assert f'href="{doc.slug}.pdf"' in html


def test_feed_lists_every_published_article_and_series_post(real_site):
    feed = ET.parse(real_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = {e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)}
    expected = [d for d in PUBLISHED if d.doc_type in (model.ARTICLE, model.SERIES_POST)]
    assert len(links) == len(expected)
    for doc in expected:
        assert any(link.endswith(f"/{doc.url_path}") for link in links), doc.rel_path


def test_sitemap_robots_and_404(real_site):
    sitemap = (real_site / "sitemap.xml").read_text()
    for doc in PUBLISHED:
        assert f"/{doc.slug}/" in sitemap
    assert "Sitemap:" in (real_site / "robots.txt").read_text()
    assert "This page does not exist" in (real_site / "404.html").read_text()
