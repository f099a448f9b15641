"""Discovery metadata on every document page of the real site, and a feed that lists them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from conftest import ROOT, markup
from folio.documents import Site

pytestmark = [pytest.mark.build, pytest.mark.xdist_group("realsite")]

PUBLISHED = [d for d in Site.load(ROOT).collection_documents if not d.is_draft and not d.front.error]


class HighwireTags(HTMLParser):
    """Collects <meta name="citation_*"> values, as a reference manager's page scraper does."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        name = values.get("name") or ""
        if tag == "meta" and name.startswith("citation_"):
            self.tags.setdefault(name, []).append(values.get("content") or "")


def page_of(site, doc):
    return (site / doc.url_path / "index.html").read_text()


@pytest.mark.parametrize("doc", PUBLISHED, ids=[d.rel_path for d in PUBLISHED])
def test_document_page_metadata(real_site, doc):
    html = page_of(real_site, doc)
    description = str(doc.meta["description"])
    unescaped = html.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")
    assert f'<meta name="description" content="{description}">' in unescaped
    assert f'<meta property="og:description" content="{description}">' in unescaped
    title = re.search(r"<title>(.*?)</title>", unescaped).group(1)
    assert len(title) <= 70 and title.startswith(doc.meta["title"]), title
    assert re.search(r'<link rel="canonical" href="https://[^"]+/' + re.escape(doc.slug) + '/">', html)
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        assert f'property="{prop}"' in html, prop
    assert 'name="twitter:card"' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "TechArticle" and ld["headline"] == doc.meta["title"]
    assert ld["author"] and ld["datePublished"] == str(doc.meta["date"]) and ld["keywords"]
    assert "Cite this" in markup(html) and "@misc{" in html
    # no PDF link in a build that makes no PDFs (make pdf and the deploy set FOLIO_PDF=true)
    assert f'href="{doc.slug}.pdf"' not in html and "citation_pdf_url" not in html
    # Highwire Press tags, read the way Google Scholar and Zotero read them
    citation = HighwireTags()
    citation.feed(html)
    date = doc.meta["date"]
    assert citation.tags["citation_title"] == [doc.meta["title"]]
    assert citation.tags["citation_author"] == ["LLM Systems Notes authors"]
    assert citation.tags["citation_publication_date"] == [date.strftime("%Y/%m/%d")] == citation.tags["citation_online_date"]
    assert citation.tags["citation_publisher"] == ["LLM Systems Notes"]
    assert citation.tags["citation_keywords"] == ["; ".join(doc.meta["tags"])]
    assert citation.tags["citation_abstract_html_url"][0].endswith(f"/{doc.url_path}")


def test_feed_lists_every_published_document_with_its_dates_and_content(real_site):
    feed = ET.parse(real_site / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = {e.find("a:link", ns).get("href"): e for e in feed.findall("a:entry", ns)}
    assert len(entries) == len(PUBLISHED), "every published explainer, series part and article"
    assert {d.doc_type.name for d in PUBLISHED} == {"explainer", "series-post", "article"}
    for doc in PUBLISHED:
        entry = next(e for link, e in entries.items() if link.endswith(f"/{doc.url_path}"))
        assert entry.findtext("a:published", namespaces=ns) == f"{doc.meta['date']}T00:00:00Z"
        assert entry.findtext("a:updated", namespaces=ns) == f"{doc.meta.get('updated') or doc.meta['date']}T00:00:00Z"
        content = entry.find("a:content", ns)
        assert content is not None and content.get("type") == "html", doc.rel_path
        assert content.get("{http://www.w3.org/XML/1998/namespace}base", "").endswith(f"/{doc.url_path}")
        assert len(content.text or "") > 5000 and "<h2" in content.text, f"{doc.rel_path}: the full text, not a summary"
        assert "\ue001" not in content.text, "set-aside placeholders must not reach the feed"


def test_sitemap_lastmod_is_each_documents_own_date(real_site):
    import gzip

    sitemap = ET.parse(real_site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmods = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in sitemap.findall("s:url", ns)}
    for doc in PUBLISHED:
        loc = next(loc for loc in lastmods if loc.endswith(f"/{doc.url_path}"))
        assert lastmods[loc] == str(doc.meta.get("updated") or doc.meta["date"]), doc.rel_path
    assert lastmods[next(loc for loc in lastmods if loc.endswith("/about/"))] is None, "no invented date on other pages"
    assert gzip.decompress((real_site / "sitemap.xml.gz").read_bytes()) == (real_site / "sitemap.xml").read_bytes()


def test_sitemap_robots_and_404(real_site):
    sitemap = (real_site / "sitemap.xml").read_text()
    for doc in PUBLISHED:
        assert f"/{doc.slug}/" in sitemap
    assert "Sitemap:" in (real_site / "robots.txt").read_text()
    assert "This page does not exist" in (real_site / "404.html").read_text()


def test_sitemap_dates_unit():
    from folio.metadata import sitemap_with_dates

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://x.org/a/</loc><lastmod>2026-11-28</lastmod></url>"
        "<url><loc>https://x.org/about/</loc><lastmod>2026-11-28</lastmod></url></urlset>"
    )
    out = sitemap_with_dates(xml, {"https://x.org/a/": "2026-11-23"})
    assert "<url><loc>https://x.org/a/</loc><lastmod>2026-11-23</lastmod></url>" in out
    assert "<url><loc>https://x.org/about/</loc></url>" in out


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and tag in ("a", "link", "img", "script", "source"):
                self.targets.append(value)


def test_every_internal_link_of_the_built_site_resolves(real_site):
    """An offline link check of the whole built site: pages, assets, figures, scripts, feeds."""
    from urllib.parse import unquote, urlsplit

    dead = []
    for page in real_site.rglob("*.html"):
        parser = Links()
        parser.feed(page.read_text())
        for target in parser.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("#", "mailto:", "data:")) or not parts.path:
                continue
            path = unquote(parts.path)
            # site-absolute links (the 404 page uses them) start with site_url's path, /portfolio/
            resolved = (real_site / path.removeprefix("/portfolio/")) if path.startswith("/") else (page.parent / path).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            if not resolved.exists():
                dead.append(f"{page.relative_to(real_site)} -> {target}")
    assert not dead, dead[:10]


def test_cite_this_bibtex_parses_back_to_the_same_fields(tmp_path):
    from pybtex.database import parse_string

    from conftest import explainer, make_site
    from folio.bib import latex_to_text
    from folio.documents import Document
    from folio.metadata import bibtex_entry

    root = make_site(tmp_path, {"docs/explainers/x.md": explainer(title="Braces {and} & 50% off")})
    doc = Document.load(root, root / "docs" / "explainers" / "x.md")
    text = bibtex_entry(doc, [{"name": "LLM Systems Notes authors"}], "https://x.org/explainers/x/", "LLM Systems Notes")
    entry = parse_string(text, "bibtex").entries["x2026"]
    assert entry.type == "misc" and entry.fields["url"] == "https://x.org/explainers/x/" and entry.fields["year"] == "2026"
    assert str(entry.persons["author"][0]) == "{LLM Systems Notes authors}"
    assert entry.fields["title"] == r"{Braces and \& 50\% off}", "special characters escaped for LaTeX"
    assert latex_to_text(entry.fields["title"]) == "Braces and & 50% off"
