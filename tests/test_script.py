"""A page's listings as one runnable file: cells in page order, GPU-only cells guarded. The real
series parts' files run cell by cell in `folio check --exec` (test_content, test_exec)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import explainer, make_site
from folio.documents import Document
from folio.script import page_script

CPU_CELL = "```python\nimport torch\nx = torch.arange(3)\nprint('sum', int(x.sum()))\n```\n"
GPU_CELL = "```python\n# folio: gpu\nprint('on the gpu', torch.ones(1, device='cuda'))\n```\n"
GPU_CELL_WITH_TEXT = '```python\n# folio: gpu\nnote = """two\nlines"""\nprint(note)\n```\n'
LAST_CELL = "```python\nprint('last', int(x.max()))\n```\n"


def fixture_doc(tmp_path, body: str) -> Document:
    root = make_site(tmp_path, {"docs/explainers/x.md": explainer(body_extra=body)})
    return Document.load(root, root / "docs" / "explainers" / "x.md")


def run(script: str, tmp_path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "page.py"
    path.write_text(script, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=120, check=False)


def test_cells_keep_page_order_and_gpu_cells_are_guarded(tmp_path):
    doc = fixture_doc(tmp_path, CPU_CELL + "\n" + GPU_CELL + "\n" + GPU_CELL_WITH_TEXT + "\n" + LAST_CELL)
    script = page_script(doc, "https://example.com/explainers/x/")
    assert script.startswith('"""Iteration batching in brief: every Python listing of the page, in page order.')
    assert "Generated from docs/explainers/x.md" in script and "https://example.com/explainers/x/" in script
    headers = [line for line in script.splitlines() if line.startswith("# %%")]
    assert [h.split(" (")[0] for h in headers] == ["# %% Listing 1", "# %% Listing 2", "# %% Listing 3", "# %% Listing 4"]
    assert "if ON_GPU:\n    # folio: gpu\n    print('on the gpu'" in script
    # indenting would change a multi-line string, so that cell is commented out instead
    assert "remove the leading '# '" in headers[2] and '# note = """two\n# lines"""' in script
    compile(script, "page.py", "exec")


def test_generated_file_runs_on_a_cpu_and_skips_gpu_cells(tmp_path):
    pytest.importorskip("torch")
    doc = fixture_doc(tmp_path, CPU_CELL + "\n" + GPU_CELL + "\n" + LAST_CELL)
    done = run(page_script(doc, "/x/"), tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["sum 3", "Listing 2 skipped: it needs a CUDA GPU.", "last 2"]


def test_page_without_python_listings_has_no_file(tmp_path):
    assert page_script(fixture_doc(tmp_path, "```yaml\na: 1\n```\n"), "/x/") == ""


def test_a_gpu_listing_on_a_page_without_torch_still_gets_its_guard(tmp_path):
    script = page_script(fixture_doc(tmp_path, "```python\n# folio: gpu\nprint('needs a GPU')\n```\n"), "/x/")
    assert "ON_GPU = _cuda_available()" in script and "if ON_GPU:" in script
    compile(script, "page.py", "exec")
