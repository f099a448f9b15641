"""Name tokens in highlighted code are plain text, and nothing else changes (folio/code_tokens.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import ROOT
from folio.code_tokens import unwrap_name_tokens
from folio.documents import Site


def test_only_name_spans_inside_code_are_unwrapped():
    html = (
        '<p><span class="n">prose</span></p>'
        '<pre><code><span class="n">x</span> <span class="o">=</span> <span class="n">torch</span><span class="o">.</span>'
        '<span class="n">ones</span><span class="p">(</span><span class="mi">3</span><span class="p">)</span></code></pre>'
        '<p><span class="n">between</span></p>'
        '<code class="highlight"><span class="n">y</span><span class="nf">f</span>\n<span class="n">z</span></code>'
    )
    assert unwrap_name_tokens(html) == (
        '<p><span class="n">prose</span></p>'
        '<pre><code>x <span class="o">=</span> torch<span class="o">.</span>'
        'ones<span class="p">(</span><span class="mi">3</span><span class="p">)</span></code></pre>'
        '<p><span class="n">between</span></p>'
        '<code class="highlight">y<span class="nf">f</span>\nz</code>'
    )


def test_the_built_pages_code_has_no_name_spans_and_the_same_text(real_site: Path):
    """Every line of the part's Python listings is in the page's code, names included."""
    doc = next(d for d in Site.load(ROOT).collection_documents if d.slug == "building-a-qwen3-style-model")
    page = (real_site / "series" / doc.slug / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="language-python highlight">.*?</code>', page, re.S)
    assert blocks and not any('<span class="n">' in block for block in blocks)
    shown = html.unescape(re.sub(r"<[^>]+>", "", "\n".join(blocks)))
    lines = [line.strip() for block in doc.source.code_blocks if block.lang == "python" for line in block.code.splitlines() if line.strip()]
    assert len(lines) > 100 and [line for line in lines if line not in shown] == []
