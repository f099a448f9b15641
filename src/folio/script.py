"""A page's Python listings as one runnable file, in page order, for readers to download.

The file is generated from the page at build time, so it cannot drift from what the page
shows; the tests run it. Cells are marked `# %%` (the percent format that Jupyter, VS Code
and jupytext open as notebook cells). On a machine without a CUDA GPU the Triton kernels run
in Triton's interpreter and GPU-only listings are skipped with a message; with a GPU, PyTorch's
default device is set to it, as `folio check --exec --device cuda` does.
"""

from __future__ import annotations

import io
import textwrap
import tokenize
from dataclasses import dataclass

from folio.documents import Document
from folio.scan import PYTHON_LANGS, CodeBlock

PREAMBLE = '''

import os


def _cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return torch.cuda.is_available()


ON_GPU = _cuda_available()
if ON_GPU:
    import torch

    torch.set_default_device("cuda")  # tensors made without device= go to the GPU
else:
    os.environ.setdefault("TRITON_INTERPRET", "1")  # no GPU: Triton kernels run in the interpreter
'''


def script_name(doc: Document) -> str:
    return f"{doc.slug}.py"


def listings(doc: Document) -> list[CodeBlock]:
    return [block for block in doc.source.code_blocks if block.lang in PYTHON_LANGS]


@dataclass(frozen=True)
class Cell:
    """One cell of a page's file: the file's opening (docstring and preamble, `block` None) or a
    listing as the file has it (GPU-only listings guarded, or commented out when `commented`)."""

    text: str
    block: CodeBlock | None = None
    commented: bool = False
    lead: int = 0  # lines of the cell before the listing's first line (its header, a GPU guard)


def page_script(doc: Document, url: str) -> str:
    """The runnable file for `doc`, published at `url`; empty when the page has no Python listing."""
    return file_text(script_cells(doc, url))


def file_text(cells: list[Cell]) -> str:
    return "\n\n".join(cell.text for cell in cells) + "\n" if cells else ""


def script_cells(doc: Document, url: str) -> list[Cell]:
    """The file's cells in order; `folio check --exec` runs these, so the listings are checked
    as the published file has them."""
    blocks = listings(doc)
    if not blocks:
        return []
    title = str(doc.meta.get("title", doc.slug))
    # The preamble defines ON_GPU, which every guarded GPU listing reads.
    needs_device = any(block.gpu_only or "torch" in block.code or "triton" in block.code for block in blocks)
    opening = (
        f'"""{title}: every Python listing of the page, in page order.\n\n'
        f"Generated from {doc.rel_path} when the site was built; the page is {url}\n"
        f"Run it with `python {script_name(doc)}`.\n"
        '"""'
    )
    if needs_device:
        opening += "\n\n" + PREAMBLE.rstrip()
    return [Cell(opening), *(_cell(number, block) for number, block in enumerate(blocks, start=1))]


def _cell(number: int, block: CodeBlock) -> Cell:
    header = f"# %% Listing {number} (page line {block.line})"
    code = block.code.rstrip("\n")
    if not block.gpu_only:
        return Cell(f"{header}\n{code}", block, lead=1)
    if _indent_safe(code):
        body = textwrap.indent(code, "    ")
        guarded = f'{header}: needs a CUDA GPU\nif ON_GPU:\n{body}\nelse:\n    print("Listing {number} skipped: it needs a CUDA GPU.")'
        return Cell(guarded, block, lead=2)
    commented = textwrap.indent(code, "# ", lambda line: True)
    return Cell(f"{header}: needs a CUDA GPU; remove the leading '# ' of each line to run it on one\n{commented}", block, commented=True, lead=1)


def _indent_safe(code: str) -> bool:
    """Whether indenting `code` keeps its meaning: no string literal spans several lines."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return False
    return not any(t.type == tokenize.STRING and t.start[0] != t.end[0] for t in tokens)
