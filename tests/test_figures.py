"""Figures on phones: each phone layout keeps its text readable, and pages serve it to small screens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT
from folio.plugin import PHONE_MEDIA, figure_images, svg_size

PHONE_COLUMN_PX = 358  # the text column of a 390 px phone in Material's layout
MIN_TEXT_PX = 9
FONT_SIZE = re.compile(r"""font-size(?::\s*|=")([\d.]+)(?:px)?""")  # matplotlib's style, or an attribute in a drawn diagram
VIEWBOX_WIDTH = re.compile(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"')
NARROW = sorted((ROOT / "figures").glob("*-narrow.svg"))


def smallest_text_px(svg: Path, column: float = PHONE_COLUMN_PX) -> float:
    """The smallest text in the figure, in CSS pixels, when it fills a column `column` px wide."""
    text = svg.read_text(encoding="utf-8")
    sizes = [float(size) for size in FONT_SIZE.findall(text)]
    return min(sizes) * column / float(VIEWBOX_WIDTH.search(text).group(1))


def test_there_are_phone_layouts():
    assert len(NARROW) >= 15, "figures/src/_style.save writes a phone layout for every figure whose panels fit one"


@pytest.mark.parametrize("svg", NARROW, ids=[p.name for p in NARROW])
def test_phone_layout_text_is_at_least_9px_on_a_390px_phone(svg):
    assert smallest_text_px(svg) >= MIN_TEXT_PX, f"{svg.name}: text of {smallest_text_px(svg):.1f} px"
    assert svg.with_name(svg.name.replace("-narrow.svg", ".svg")).exists(), "a phone layout belongs to a wide figure"


def test_pages_serve_the_phone_layout_to_small_screens_only_where_there_is_one():
    html = '<p><img alt="Two panels" src="../../figures/a.svg" /></p><p><img alt="One" src="../../figures/b.svg" /></p>'
    sizes = {"a": (640, 480), "a-narrow": (384, 576)}
    swapped = figure_images(html, lambda name: name == "a", sizes.get)
    assert (
        f'<picture><source media="{PHONE_MEDIA}" srcset="../../figures/a-narrow.svg" width="384" height="576">'
        '<img loading="lazy" decoding="async" width="640" height="480" alt="Two panels" src="../../figures/a.svg" /></picture>'
    ) in swapped
    assert '<p><img loading="lazy" decoding="async" alt="One" src="../../figures/b.svg" /></p>' in swapped, "no phone layout: the wide figure alone"


def test_figure_sizes_are_read_in_css_pixels(tmp_path):
    points = tmp_path / "chart.svg"
    points.write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="288pt" height="432pt" viewBox="0 0 288 432">')
    pixels = tmp_path / "diagram.svg"
    pixels.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 360" width="960" height="360">')
    assert svg_size(points) == (384, 576)
    assert svg_size(pixels) == (960, 360)
    assert all(svg_size(svg) for svg in (ROOT / "figures").glob("*.svg")), "every figure states its size"


def test_every_figure_is_readable_on_a_390px_phone():
    """A figure has a phone layout, or its desktop layout's text is already 9 px at 358 px."""
    unreadable = [
        svg.name
        for svg in sorted((ROOT / "figures").glob("*.svg"))
        if not svg.name.endswith("-narrow.svg")
        and not svg.with_name(svg.stem + "-narrow.svg").exists()
        and smallest_text_px(svg) < MIN_TEXT_PX
    ]
    assert not unreadable, f"no phone layout and text under {MIN_TEXT_PX} px on a phone: {unreadable}"
