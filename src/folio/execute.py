"""EXE: run each page's code listings like notebook cells, and parse YAML and shell listings."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from folio.documents import Document
from folio.problems import Problem
from folio.scan import PYTHON_LANGS, CodeBlock
from folio.script import Cell, file_text, script_cells, script_name
from folio.zygote import TIMED_OUT, zygote_for

DEFAULT_TIMEOUT = 30
# A listing marked `# folio: gpu` is a measurement: it runs as long as its method needs (a
# warm-up, then a timed interval), so it gets at least folio gpu's limit, not a cell's. It
# runs with --device cuda, and on a GPU machine also under a series file's GPU guard.
GPU_LISTING_TIMEOUT = 600
DEVICES = ("cpu", "cuda")
DEVICE_ENV = "FOLIO_LISTING_DEVICE"  # read by folio._listing_worker
SHELL_LANGS = {"bash", "sh", "shell", "console"}


@dataclass
class ExecReport:
    executed: int = 0
    skipped: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[int, str] = field(default_factory=dict)  # what each listing printed, by its fence line
    executed_by_document: dict[str, int] = field(default_factory=dict)

    def merge(self, other: ExecReport) -> None:
        self.executed += other.executed
        self.skipped += other.skipped
        self.failed += other.failed
        self.problems += other.problems
        self.outputs.update(other.outputs)
        self.executed_by_document.update(other.executed_by_document)

    @property
    def summary(self) -> str:
        return f"code listings: {self.executed} executed, {self.skipped} skipped, {self.failed} failed"


@dataclass(frozen=True)
class _Run:
    """Code given to the worker: a listing (`block`, at `index` among the page's code blocks)
    or the opening of a page's published file (`block` None). A listing that `counts` is
    executed and its output compared; one that does not ran only as its GPU guard."""

    code: str
    block: CodeBlock | None = None
    index: int = -1
    counts: bool = True
    lead: int = 0  # lines of `code` before the listing's own first line


def _limit(run: _Run, timeout: int) -> int:
    return max(GPU_LISTING_TIMEOUT, timeout) if run.block is not None and run.block.gpu_only else timeout


def _expected_output(blocks: list[CodeBlock], index: int) -> CodeBlock | None:
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if following and following.lang in ("text", "console", "") and following.title.lower() == "output":
        return following
    return None


def _normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _worker_env(workers: int, device: str = "cpu") -> dict[str, str]:
    """The listings' environment: on the CPU, Triton's interpreter; on CUDA, compiled kernels
    and PyTorch's default device set to the GPU, so tensors made without `device=` live there."""
    env = dict(os.environ)
    threads = str(max(1, (os.cpu_count() or 1) // max(1, workers)))
    if device == "cuda":
        env.pop("TRITON_INTERPRET", None)
    else:
        env["TRITON_INTERPRET"] = "1"
    env.update(
        {
            DEVICE_ENV: device,
            "MPLBACKEND": "Agg",
            "PYTHONHASHSEED": "0",
            "OMP_NUM_THREADS": threads,
            "MKL_NUM_THREADS": threads,
            "TOKENIZERS_PARALLELISM": "false",
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    return env


def run_document(doc: Document, timeout: int = DEFAULT_TIMEOUT, workers: int = 1, device: str = "cpu") -> ExecReport:
    """Run the page's listings in order; on `cuda` the GPU-only listings run too."""
    report = ExecReport()
    blocks = doc.source.code_blocks
    runnable: list[tuple[int, CodeBlock]] = []
    for index, block in enumerate(blocks):
        if block.lang in PYTHON_LANGS:
            problem = _syntax(doc, block)
            if problem:
                report.failed += 1
                report.problems.append(problem)
            elif block.gpu_only and device != "cuda":
                report.skipped += 1
            else:
                runnable.append((index, block))
        elif block.lang in ("yaml", "yml"):
            report.problems += _yaml(doc, block)
        elif block.lang in SHELL_LANGS:
            report.problems += _shell(doc, block)
    cells = script_cells(doc, doc.url_path) if _offers_script(doc) else []
    if cells and runnable and not report.failed:
        problem = _compile_published_file(doc, cells)
        if problem:
            report.failed += 1
            report.problems.append(problem)
    if runnable and not report.failed:
        runs = _published_file_runs(doc, cells, device) if cells else [_Run(block.code, block, index) for index, block in runnable]
        env = _worker_env(workers, device)
        if cells:  # the file's own preamble picks the device and Triton's interpreter
            env.pop("TRITON_INTERPRET", None)
            env[DEVICE_ENV] = "cpu"
        report.merge(_execute(doc, blocks, runs, timeout, env))
    elif runnable:
        report.skipped += len(runnable)
    return report


def _offers_script(doc: Document) -> bool:
    return doc.doc_type is not None and doc.doc_type.offers_script


def _compile_published_file(doc: Document, cells: list[Cell]) -> Problem | None:
    """The file compiles as a whole: some code is legal in a cell but not in a file (a
    `from __future__` import after the first listing)."""
    try:
        compile(file_text(cells), script_name(doc), "exec", dont_inherit=True)
    except SyntaxError as exc:
        first = next(cell.block for cell in cells if cell.block is not None)
        return Problem(doc.rel_path, first.line, 1, "EXE003", f"the page's published file does not compile: {exc.msg} (its line {exc.lineno})")
    return None


def _published_file_runs(doc: Document, cells: list[Cell], device: str) -> list[_Run]:
    """A page whose listings are published as one file runs as that file's cells: the checks
    then cover the file readers download (its preamble and GPU guards) with one execution.
    A commented-out GPU listing runs as written on a GPU, as its header tells readers to."""
    position = {id(block): index for index, block in enumerate(doc.source.code_blocks)}
    on_gpu = device == "cuda"
    runs = []
    for cell in cells:
        if cell.block is None:
            runs.append(_Run(cell.text))
        elif cell.commented and on_gpu:
            runs.append(_Run(cell.block.code, cell.block, position[id(cell.block)]))
        else:
            runs.append(_Run(cell.text, cell.block, position[id(cell.block)], counts=on_gpu or not cell.block.gpu_only, lead=cell.lead))
    return runs


def _syntax(doc: Document, block: CodeBlock) -> Problem | None:
    try:
        ast.parse(block.code)
    except SyntaxError as exc:
        line = block.first_line + (exc.lineno or 1) - 1
        return Problem(doc.rel_path, line, exc.offset or 1, "EXE003", f"listing does not parse: {exc.msg}")
    return None


def _execute(doc: Document, blocks: list[CodeBlock], runs: list[_Run], timeout: int, env: dict[str, str]) -> ExecReport:
    report = ExecReport()
    payload = json.dumps([{"code": run.code, "timeout": _limit(run, timeout)} for run in runs])
    with tempfile.TemporaryDirectory(prefix="folio-exec-", ignore_cleanup_errors=True) as workdir:
        limit = sum(_limit(run, timeout) for run in runs) + 60
        zygote = zygote_for(env)
        ran = zygote.run(Path(workdir), payload, env, limit) if zygote else None
        if ran is None:  # no zygote (or it died): a fresh interpreter for this page
            ran = _run_in_new_interpreter(Path(workdir), payload, env, limit)
        results, detail = ran
    listings = [run for run in runs if run.block is not None and run.counts]
    if len(results) != len(runs):
        first = next(run.block for run in runs if run.block is not None)
        report.failed += len(listings)
        report.problems.append(Problem(doc.rel_path, first.line, 1, "EXE001", f"listings crashed the interpreter: {detail}"))
        return report
    for run, result in zip(runs, results, strict=True):
        if run.block is None or not run.counts:
            problem = _failure(doc, run, result, _limit(run, timeout))
            if problem:
                report.failed += 1
                report.problems.append(problem)
        else:
            _record(doc, blocks, run, result, _limit(run, timeout), report)
    return report


def _run_in_new_interpreter(workdir: Path, payload: str, env: dict[str, str], limit: int) -> tuple[list[dict], str]:
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "folio._listing_worker"], input=payload, capture_output=True, text=True, cwd=workdir, env=env, timeout=limit, check=False
        )
        results = json.loads(completed.stdout) if completed.stdout.strip() else []
        return results, (completed.stderr.strip().splitlines() or [f"the interpreter exited with status {completed.returncode}"])[-1]
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        return [], TIMED_OUT


def _failure(doc: Document, run: _Run, result: dict, timeout: int) -> Problem | None:
    """A cell that is not a counted listing only fails: the file's opening, or a GPU guard."""
    if result["status"] in ("ok", "not-run"):
        return None
    where = run.block if run.block is not None else next(b for b in doc.source.code_blocks if b.lang in PYTHON_LANGS)
    what = "the published file's opening" if run.block is None else "the listing's GPU guard"
    detail = f"ran past its {timeout} s limit" if result["status"] == "timeout" else f"failed: {result.get('error', '')[:300]}"
    return Problem(doc.rel_path, where.line, 1, "EXE001", f"{what} {detail}")


def _record(doc: Document, blocks: list[CodeBlock], run: _Run, result: dict, timeout: int, report: ExecReport) -> None:
    block = run.block
    assert block is not None
    status = result["status"]
    if status == "ok":
        report.executed += 1
        report.outputs[block.line] = result["stdout"]
        expected = _expected_output(blocks, run.index)
        if expected is not None and _normalize(result["stdout"]) != _normalize(expected.code):
            report.failed += 1
            got = _normalize(result["stdout"]).splitlines()[:3]
            report.problems.append(
                Problem(doc.rel_path, expected.line, 1, "EXE002", f"output differs from the Output block; the listing printed: {' | '.join(got) or '(nothing)'}")
            )
    elif status == "not-run":
        report.skipped += 1
    elif status == "timeout":
        report.failed += 1
        report.problems.append(Problem(doc.rel_path, block.line, 1, "EXE004", f"listing ran past its {timeout} s limit; make it smaller"))
    else:
        report.failed += 1
        own_line = max(1, int(result.get("line", 1)) - run.lead)
        line = block.first_line + own_line - 1
        report.problems.append(
            Problem(doc.rel_path, block.line, 1, "EXE001", f"listing failed at its line {own_line} (file line {line}): {result['error'][:300]}")
        )


def _yaml(doc: Document, block: CodeBlock) -> list[Problem]:
    try:
        documents = [d for d in yaml.safe_load_all(block.code) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = block.first_line + (mark.line if mark else 0)
        return [Problem(doc.rel_path, line, 1, "EXE003", f"YAML listing does not parse: {getattr(exc, 'problem', exc)}")]
    problems = []
    for item in documents:
        if isinstance(item, dict) and "kind" in item:
            missing = [f for f in ("apiVersion",) if f not in item]
            if not isinstance(item.get("metadata"), dict) or not item["metadata"].get("name"):
                missing.append("metadata.name")
            if missing:
                problems.append(Problem(doc.rel_path, block.line, 1, "EXE003", f"Kubernetes object {item['kind']} lacks {', '.join(missing)}"))
    return problems


def _shell(doc: Document, block: CodeBlock) -> list[Problem]:
    code = "\n".join(line[2:] if line.startswith("$ ") else line for line in block.code.splitlines())
    completed = subprocess.run(["bash", "-n"], input=code, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        message = completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "syntax error"
        return [Problem(doc.rel_path, block.line, 1, "EXE003", f"shell listing does not parse: {message}")]
    return []


def run_documents(docs: list[Document], timeout: int = DEFAULT_TIMEOUT, jobs: int | None = None, device: str = "cpu") -> ExecReport:
    jobs = 1 if device == "cuda" else jobs or max(1, os.cpu_count() or 1)  # one GPU: one page at a time
    report = ExecReport()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for doc, result in zip(docs, pool.map(lambda d: run_document(d, timeout, jobs, device), docs), strict=True):
            result.executed_by_document[doc.rel_path] = result.executed
            report.merge(result)
    return report
