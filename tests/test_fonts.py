"""The self-hosted math face covers every character that math on the site uses; the fallback
faces are what tools/fallback-faces.mjs makes from the shipped text face."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata

import pytest

from conftest import ROOT
from folio.fonts import MATH_FONT, math_codepoints

MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.S)
TAG = re.compile(r"<[^>]+>")


def test_the_math_subset_keeps_the_math_table_and_its_characters():
    from fontTools.ttLib import TTFont

    font = TTFont(str(ROOT / MATH_FONT))
    assert "MATH" in font, "stretchy delimiters and script sizes need the OpenType MATH table"
    # the ranges include a few reserved code points (holes in the math alphabets, U+03A2)
    missing = {code for code in math_codepoints() - set(font.getBestCmap()) if unicodedata.name(chr(code), "")}
    assert not missing, f"characters of the ranges that the font lacks: {sorted(missing)[:10]}"


def test_every_character_in_the_sites_math_is_in_the_subset(real_site):
    from fontTools.ttLib import TTFont

    cmap = set(TTFont(str(ROOT / MATH_FONT)).getBestCmap())
    used: dict[str, str] = {}
    for page in real_site.rglob("*.html"):
        for formula in MATH_ELEMENT.findall(page.read_text(encoding="utf-8")):
            for character in TAG.sub("", formula):
                if ord(character) not in cmap and not character.isspace() and not character.startswith("&"):
                    used.setdefault(character, str(page.relative_to(real_site)))
    assert not used, "add to folio/fonts.py MATH_RANGES and run `make fonts`: " + ", ".join(f"{c!r} (U+{ord(c):04X}, {p})" for c, p in used.items())


DEJAVU_SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def test_the_fallback_faces_are_what_capsize_makes_from_the_fonts(tmp_path):
    """overrides/assets/fallback-faces.css is generated (make fonts); a change to the text face or
    to the script must come with the file it makes."""
    if shutil.which("node") is None or not (ROOT / "node_modules" / "@capsizecss" / "core").is_dir():
        message = "the fallback faces are made with Capsize from npm: needs Node.js and `npm ci` (make test runs it when npm is installed)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    if not os.path.isfile(DEJAVU_SERIF):
        message = f"{DEJAVU_SERIF} is measured for its fallback face (Debian: apt-get install fonts-dejavu-core; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    made = tmp_path / "fallback-faces.css"
    result = subprocess.run(["node", "tools/fallback-faces.mjs", str(made)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert made.read_text(encoding="utf-8") == (ROOT / "overrides" / "assets" / "fallback-faces.css").read_text(encoding="utf-8")
