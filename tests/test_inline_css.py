"""Small stylesheets written into the page: url() references rebased to the page, the right
files found, and a clear error when one is missing (folio/inline_css.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from folio.inline_css import InlineStyleError, asset_path, inline_stylesheets, rebase_urls
from folio.pdf import published_url


def test_relative_urls_are_rebased_to_the_page_and_others_kept():
    css = 'a{background:url("fonts/a.woff2")} b{src:URL(x.png)} f{src:url( \'x(1).png\' )} c{src:url("/abs.png")} d{src:url(data:image/png;base64,AA)} e{mask:url(#m)}'
    rebased = rebase_urls(css, "../../assets")
    assert 'url("../../assets/fonts/a.woff2")' in rebased and "url(../../assets/x.png)" in rebased and "url('../../assets/x(1).png')" in rebased
    assert 'url("/abs.png")' in rebased and "url(data:image/png;base64,AA)" in rebased and "url(#m)" in rebased


@pytest.mark.parametrize(
    ("css", "message"),
    [
        ('p{}\n@import "more.css";', r"sheet\.css:2: @import cannot be rebased"),
        ('p{background:image-set("a.png" 1x)}', r"sheet\.css:1: image-set\( cannot be rebased"),
        ("p{background:url(a(1).png)}", r"sheet\.css:1: a url\(\) folio cannot read; quote its address"),
    ],
)
def test_a_reference_that_cannot_be_rebased_is_an_error_naming_its_line(css, message):
    with pytest.raises(InlineStyleError, match=message):
        rebase_urls(css, "..", "sheet.css")


@pytest.mark.parametrize(
    ("href", "path"),
    [("assets/folio.css", "assets/folio.css"), ("../../assets/folio.css", "assets/folio.css"), ("/portfolio/assets/folio.css", "assets/folio.css"), ("./assets/a.css?v=1", "assets/a.css")],
)
def test_a_link_names_its_file_in_the_theme(href, path):
    assert asset_path(href, "/portfolio/") == path


def test_only_matching_links_are_inlined_from_the_first_folder_that_has_them(tmp_path):
    overrides, theme = tmp_path / "overrides", tmp_path / "theme"
    for folder, colour in ((overrides, "red"), (theme, "blue")):
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "small.css").write_text(f"p{{color:{colour};background:url(img/p.png)}}")
    html = '<link rel="stylesheet" href="../assets/main.css"><link rel="stylesheet" href="../assets/small.css">'
    out = inline_stylesheets(html, [str(overrides), str(theme)], "/", "small*.css")
    assert out == '<link rel="stylesheet" href="../assets/main.css"><style>p{color:red;background:url(../assets/img/p.png)}</style>'


def test_a_missing_or_unsafe_stylesheet_is_a_clear_error(tmp_path):
    link = '<link rel="stylesheet" href="assets/gone.css">'
    with pytest.raises(InlineStyleError, match=r"stylesheet 'assets/gone\.css' to write into the page is in none of the theme's folders .*; add it under overrides/"):
        inline_stylesheets(link, [str(tmp_path)], "/", "*.css")
    with pytest.raises(InlineStyleError, match=r"no stylesheet link matches palette\.\*\.css to write into the page; correct the name in overrides/main\.html"):
        inline_stylesheets(link, [str(tmp_path)], "/", "palette.*.css")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "gone.css").write_text("p::after{content:'</style>'}")
    with pytest.raises(InlineStyleError, match="</style"):
        inline_stylesheets(link, [str(tmp_path)], "/", "*.css")


def test_every_page_links_only_materials_main_stylesheet_and_its_inline_urls_resolve(real_site: Path):
    """The first paint waits for one stylesheet request; what folio.css and the palette point to
    (the faces) exists at the rebased address."""
    site_path = urlsplit(published_url(ROOT)).path.rstrip("/") + "/"  # how the 404 page links them
    pages = [page for page in real_site.rglob("*.html") if "<head>" in page.read_text(encoding="utf-8")[:200]]  # not redirect stubs
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert len(links) == 1 and "/stylesheets/main." in "/" + links[0], f"{page}: {links}"
        assert "--folio-measure" in html and "STIX Two Text Fallback: Times New Roman" in html, f"{page}: folio.css or fallback-faces.css not written in"
        faces = re.findall(r'url\("([^"#:]+\.woff2)"\)', html)
        assert len(faces) == 7, f"{page}: {len(faces)} font urls in the page's CSS, expected the six text faces and the math face"
        for target in faces:
            base = real_site if target.startswith("/") else page.parent
            resolved = (base / target.removeprefix(site_path)).resolve()
            assert resolved.is_file(), f"{page}: {target} does not resolve"
