"""The site's math face, cut down to the characters math on the site can use.

STIX Two Math as npm's @fontsource ships it is one 403 KB file (fontsource does not subset
math fonts): most of it is alphabets and symbols no page uses, and on a phone over a slow
connection it dominates the page's weight. `make fonts` keeps the characters below together
with the OpenType MATH table (stretchy delimiters, radicals, script sizes), about 60 KB.
tests/test_fonts.py fails when a formula on the site uses a character outside the subset.
"""

from __future__ import annotations

from pathlib import Path

MATH_SOURCE = Path("node_modules/@fontsource/stix-two-math/files/stix-two-math-latin-400-normal.woff2")
MATH_FONT = Path("overrides/assets/fonts/stix-two-math-subset-400-normal.woff2")

MATH_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1: ± × · ¯ ...
    (0x0391, 0x03A9), (0x03B1, 0x03C9), (0x03D1, 0x03D1), (0x03D5, 0x03D6), (0x03F0, 0x03F1), (0x03F5, 0x03F5),  # Greek
    (0x2010, 0x2016), (0x2020, 0x2022), (0x2026, 0x2026), (0x2032, 0x2037),  # dashes, bars, dots, primes
    (0x2102, 0x2102), (0x210A, 0x2113), (0x2115, 0x2115), (0x2119, 0x211D), (0x2124, 0x2124), (0x212C, 0x2131), (0x2133, 0x2134),  # letterlike: ℓ ℝ ℒ ℎ ...
    (0x2190, 0x2199), (0x21A6, 0x21A6), (0x21D0, 0x21D5),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2308, 0x230B),  # ceilings and floors
    (0x27E8, 0x27EB), (0x27F5, 0x27FA),  # angle brackets, long arrows
    (0x1D400, 0x1D433),  # bold Latin
    (0x1D434, 0x1D467),  # italic Latin (how MathML draws single-letter identifiers)
    (0x1D49C, 0x1D4B5),  # script capitals: 𝒟 𝒩 ...
    (0x1D538, 0x1D551),  # double-struck capitals: 𝔼 𝔻 ...
    (0x1D6E2, 0x1D71B),  # italic Greek
)


def math_codepoints() -> set[int]:
    return {code for low, high in MATH_RANGES for code in range(low, high + 1)}


def subset_math_font(source: Path = MATH_SOURCE, destination: Path = MATH_FONT) -> int:
    """Write the subset font; return its size in bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # math needs ssty and the variant features
    options.notdef_outline = True
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=sorted(math_codepoints()))
    subsetter.subset(font)
    font.flavor = "woff2"
    destination.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(destination))
    return destination.stat().st_size


def main(root: Path) -> int:
    size = subset_math_font(root / MATH_SOURCE, root / MATH_FONT)
    print(f"wrote {MATH_FONT} ({size / 1024:.0f} KiB)")
    return 0
