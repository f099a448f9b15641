"""Name tokens in highlighted code are plain text, and nothing else changes (folio/code_tokens.py)."""

from __future__ import annotations

import re
from pathlib import Path

from folio.code_tokens import unwrap_name_tokens


def test_only_name_spans_inside_code_are_unwrapped():
    html = (
        '<p><span class="n">prose</span></p>'
        '<pre><code><span class="n">x</span> <span class="o">=</span> <span class="n">torch</span><span class="o">.</span>'
        '<span class="n">ones</span><span class="p">(</span><span class="mi">3</span><span class="p">)</span></code></pre>'
        '<code class="highlight"><span class="n">y</span><span class="nf">f</span></code>'
    )
    assert unwrap_name_tokens(html) == (
        '<p><span class="n">prose</span></p>'
        '<pre><code>x <span class="o">=</span> torch<span class="o">.</span>'
        'ones<span class="p">(</span><span class="mi">3</span><span class="p">)</span></code></pre>'
        '<code class="highlight">y<span class="nf">f</span></code>'
    )


def test_the_built_pages_code_has_no_name_spans_and_the_same_text(real_site: Path):
    page = (real_site / "series" / "building-a-qwen3-style-model" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<div class="language-python highlight">.*?</code>', page, re.S)
    assert blocks and not any('<span class="n">' in block for block in blocks)
    assert "def forward(self" in re.sub(r"<[^>]+>", "", "".join(blocks))
