"""Share cards: a 1200x630 image per document (collection, title, site name) for link previews.

Drawn with Pillow from the site's own font files (overrides/assets/fonts/, STIX Two under the
SIL Open Font License), so the build fetches nothing. JPEG, because a flat card encodes in
about 2 ms where PNG takes 10: a card costs about 5 ms, and the plugin draws them on a second
thread while MkDocs renders pages.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 90
BACKGROUND, INK, ACCENT, MUTED = "#fbfaf7", "#1a1a1a", "#1f4e79", "#555555"
FONT_DIR = Path(__file__).resolve().parents[2] / "overrides" / "assets" / "fonts"
BOLD, REGULAR = "stix-two-text-latin-700-normal.woff2", "stix-two-text-latin-400-normal.woff2"
LOGO_SIZE = (600, 60)  # the largest logo Google's Article guidelines accept


@dataclass(frozen=True)
class Card:
    title: str
    kicker: str  # the collection, e.g. "Articles" or "Complete LLM Pipeline · Part 3 of 8"
    site_name: str


@lru_cache(maxsize=8)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    # Pillow is imported where cards are drawn, in the painter's process: the build's own
    # process, which renders the pages, then never spends the import's 13 ms.
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_DIR / name), size)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaks by rendered width."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def title_lines(title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size (72 down to 44 px) at which the title fits in four lines."""
    for size in (72, 64, 56, 50, 44):
        font = _font(BOLD, size)
        lines = wrap(title, font, WIDTH - 2 * MARGIN)
        if len(lines) <= 4:
            return font, lines
    return font, [*lines[:3], " ".join(lines[3:])]


def render(card: Card) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, HEIGHT), fill=ACCENT)
    draw.text((MARGIN, 84), card.kicker.upper(), font=_font(REGULAR, 30), fill=ACCENT)
    font, lines = title_lines(card.title)
    line_height = round(font.size * 1.2)
    for number, line in enumerate(lines):
        draw.text((MARGIN, 150 + number * line_height), line, font=font, fill=INK)
    draw.text((MARGIN, HEIGHT - 96), card.site_name, font=_font(REGULAR, 34), fill=MUTED)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def render_logo(site_name: str) -> bytes:
    """The publisher logo that JSON-LD names: the site name on a transparent 600x60 strip."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", LOGO_SIZE, (0, 0, 0, 0))
    ImageDraw.Draw(image).text((0, 8), site_name, font=_font(BOLD, 40), fill=INK)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
