"""`folio check --exec`: listings run like notebook cells; failures point at the listing's line."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from conftest import LISTING_WORKERS, explainer, make_site
from folio import execute
from folio.documents import Document
from folio.execute import DEVICE_ENV, ExecReport, _worker_env, run_document
from folio.gpu import cuda_available

pytestmark = [pytest.mark.exec, pytest.mark.xdist_group("exec")]


def require(module: str) -> None:
    """Skip unless the module is installed, without importing it: the listings import PyTorch and
    Triton in their own interpreters, and in the test worker they would cost 1.5 s to import and
    half a second more when the worker exits."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def require_cpu_only() -> None:
    """Skip on a machine with a GPU (folio.gpu.cuda_available imports PyTorch only where a driver is)."""
    require("torch")
    if cuda_available():
        pytest.skip("this checks the CPU path; with a GPU the listings take the GPU's")


def run_page(doc: Document, **options) -> ExecReport:
    """run_document as the content tests run pages (conftest.LISTING_WORKERS)."""
    return run_document(doc, workers=LISTING_WORKERS, **options)


def page(tmp_path, listings: str):
    tmp_path.mkdir(exist_ok=True)
    root = make_site(tmp_path, {"docs/explainers/x.md": explainer(body_extra=listings)})
    path = root / "docs" / "explainers" / "x.md"
    return Document.load(root, path), path.read_text().split("\n")


def series_part(tmp_path, listings: str):
    """A page of a type that publishes its listings as one file (the series)."""
    tmp_path.mkdir(exist_ok=True)
    text = explainer(body_extra=listings, front_extra="series: demo\npart: 1\n").replace("type: explainer", "type: series-post")
    root = make_site(tmp_path, {"docs/series/x.md": text})
    path = root / "docs" / "series" / "x.md"
    return Document.load(root, path), path.read_text().split("\n")


PUBLISHED_FILE_LISTINGS = (
    "```python\nprint(type(ON_GPU).__name__)\n```\n\n```text title=\"Output\"\nbool\n```\n\n"
    "```python\n# folio: gpu\nimport torch\nprint(torch.ones(1, device='cuda'))\n```\n\n"
    "```python\nx = 1\nraise ValueError('late')\n```\n"
)


def test_a_page_with_a_published_file_runs_as_that_file(tmp_path):
    """The series' listings run as the cells of the file readers download: the file's preamble
    defines ON_GPU, a GPU-only listing runs as its guard on a CPU, and a failure still names the
    listing's own line. The same listings on a page without a file run as they are shown."""
    require_cpu_only()
    doc, lines = series_part(tmp_path / "series", PUBLISHED_FILE_LISTINGS)
    report = run_page(doc)
    assert (report.executed, report.skipped, report.failed) == (1, 1, 1), report.problems
    [problem] = report.problems
    assert problem.code == "EXE001" and "ValueError: late" in problem.message
    failing_line = lines.index("raise ValueError('late')") + 1
    assert f"its line 2 (file line {failing_line})" in problem.message
    plain, _ = page(tmp_path / "plain", PUBLISHED_FILE_LISTINGS)
    shown = run_page(plain)
    assert "NameError: name 'ON_GPU' is not defined" in shown.problems[0].message


def test_a_published_file_whose_opening_fails_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr("folio.script.PREAMBLE", "\n\nraise RuntimeError('preamble')\n")
    doc, lines = series_part(tmp_path, "```python\nprint('torch is not imported: the opening fails first')\n```\n")
    report = run_page(doc)
    assert report.failed == 1 and report.executed == 0
    assert "the published file's opening failed: RuntimeError: preamble" in report.problems[0].message
    assert lines[report.problems[0].line - 1] == "```python"


def test_listings_share_a_namespace_and_outputs_are_compared(tmp_path):
    doc, _ = page(
        tmp_path,
        '```python\nx = 21\n```\n\n```python\nprint(x * 2)\n```\n\n```text title="Output"\n42\n```\n',
    )
    report = run_page(doc)
    assert (report.executed, report.skipped, report.failed) == (2, 0, 0), report.problems
    assert report.summary == "code listings: 2 executed, 0 skipped, 0 failed"


def test_wrong_output_is_reported_at_the_output_block(tmp_path):
    doc, lines = page(tmp_path, '```python\nprint(1 + 1)\n```\n\n```text title="Output"\n3\n```\n')
    report = run_page(doc)
    assert report.failed == 1
    problem = report.problems[0]
    assert problem.code == "EXE002" and lines[problem.line - 1].startswith("```text")
    assert "2" in problem.message


def test_exception_names_listing_and_its_own_line(tmp_path):
    doc, lines = page(tmp_path, "```python\na = 1\nb = 2\nraise ValueError('boom')\n```\n\n```python\nprint('not run')\n```\n")
    report = run_page(doc)
    problem = report.problems[0]
    assert problem.code == "EXE001" and lines[problem.line - 1] == "```python"
    assert "ValueError: boom" in problem.message
    failing_line = lines.index("raise ValueError('boom')") + 1
    assert f"its line 3 (file line {failing_line})" in problem.message
    assert (report.executed, report.skipped, report.failed) == (0, 1, 1)


def test_syntax_error_and_gpu_marker(tmp_path):
    doc, lines = page(tmp_path, "```python\n# folio: gpu\nimport torch\nx = torch.ones(1, device='cuda')\n```\n\n```python\ndef broken(:\n```\n")
    report = run_page(doc)
    assert report.skipped == 1
    syntax = [p for p in report.problems if p.code == "EXE003"]
    assert syntax and lines[syntax[0].line - 1] == "def broken(:"


def test_timeout_is_reported(tmp_path):
    doc, _ = page(tmp_path, "```python\nimport time\ntime.sleep(5)\n```\n")
    report = run_page(doc, timeout=1)
    assert [p.code for p in report.problems] == ["EXE004"]


def test_a_gpu_listing_gets_the_measurement_limit_on_cuda(tmp_path, monkeypatch):
    """A `# folio: gpu` listing measures for as long as its method says (the power loop runs
    90 s): it gets the GPU limit, or the cell's if that is longer, and its timeout names it; a
    plain listing keeps the cell's limit. (The worker keeping each listing's own limit is
    test_timeout_is_reported.)"""
    sent: list[list[int]] = []
    page_limits: list[int] = []

    def every_listing_times_out(workdir, payload, env, limit):
        sent.append([listing["timeout"] for listing in json.loads(payload)])
        page_limits.append(limit)
        return [{"status": "timeout", "stdout": ""} for _ in sent[-1]], ""

    monkeypatch.setattr(execute, "zygote_for", lambda env: None)
    monkeypatch.setattr(execute, "_run_in_new_interpreter", every_listing_times_out)
    gpu = "```python\n# folio: gpu\nimport time\n```\n\n"
    plain = "```python\nimport time\n```\n\n"
    doc, _ = page(tmp_path / "gpu", gpu)
    assert "its 600 s limit" in run_page(doc, timeout=30, device="cuda").problems[0].message
    assert "its 900 s limit" in run_page(doc, timeout=900, device="cuda").problems[0].message
    doc, _ = page(tmp_path / "plain", plain)
    assert "its 30 s limit" in run_page(doc, timeout=30, device="cuda").problems[0].message
    assert sent == [[600], [900], [30]]
    assert page_limits == [660, 960, 90]  # the page's run: its listings' limits and a minute


def test_yaml_and_shell_listings_are_parsed(tmp_path):
    bad = "```yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {}\n```\n\n```yaml\na: [1, 2\n```\n\n```bash\nif then fi (\n```\n"
    doc, _ = page(tmp_path / "bad", bad)
    report = run_page(doc)
    assert sorted(p.code for p in report.problems) == ["EXE003", "EXE003", "EXE003"]
    good = "```yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n```\n\n```bash\necho hello | wc -c\n```\n"
    doc, _ = page(tmp_path / "good", good)
    assert run_page(doc).problems == []


def test_triton_runs_under_the_interpreter(tmp_path):
    require("triton")
    kernel = '''```python
import torch
import triton
import triton.language as tl

@triton.jit
def add(x_ptr, y_ptr, out_ptr, n, BLOCK: tl.constexpr):
    offsets = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offsets < n
    tl.store(out_ptr + offsets, tl.load(x_ptr + offsets, mask=mask) + tl.load(y_ptr + offsets, mask=mask), mask=mask)

x, y = torch.arange(10.0), torch.ones(10)
out = torch.empty(10)
add[(1,)](x, y, out, 10, BLOCK=16)
torch.testing.assert_close(out, x + y)
```
'''
    doc, _ = page(tmp_path, kernel)
    report = run_page(doc)
    assert (report.executed, report.failed) == (1, 0), report.problems


def test_cuda_device_compiles_kernels_and_runs_gpu_listings(tmp_path):
    """On `cuda` the interpreter is off, PyTorch's default device is the GPU, and GPU-only listings
    run; on a machine without a GPU the first tensor a listing creates fails, naming CUDA."""
    assert _worker_env(1, "cpu")["TRITON_INTERPRET"] == "1" and _worker_env(1, "cpu")[DEVICE_ENV] == "cpu"
    env = _worker_env(1, "cuda")
    assert "TRITON_INTERPRET" not in env and env[DEVICE_ENV] == "cuda"
    listings = (
        "```python\nimport os\nprint(os.environ.get('TRITON_INTERPRET'))\n```\n\n```text title=\"Output\"\nNone\n```\n\n"
        "```python\n# folio: gpu\nimport torch\nprint(torch.ones(2).device.type)\n```\n\n```text title=\"Output\"\ncuda\n```\n"
    )
    doc, _ = page(tmp_path, listings)
    on_cpu = run_page(doc)
    assert (on_cpu.executed, on_cpu.skipped) == (1, 1) and on_cpu.problems[0].code == "EXE002"  # the interpreter was on
    on_cuda = run_page(doc, device="cuda")
    require("torch")
    if cuda_available():
        assert (on_cuda.executed, on_cuda.skipped, on_cuda.failed) == (2, 0, 0), on_cuda.problems
    else:
        assert (on_cuda.executed, on_cuda.skipped, on_cuda.failed) == (1, 0, 1), on_cuda.problems
        assert "CUDA" in on_cuda.problems[0].message


def test_a_published_file_must_compile_as_a_whole(tmp_path):
    """A `from __future__` import is legal at the top of a cell but not in the middle of a file."""
    doc, lines = series_part(tmp_path, "```python\nx = 1\n```\n\n```python\nfrom __future__ import annotations\nprint(x)\n```\n")
    report = run_page(doc)
    assert [p.code for p in report.problems] == ["EXE003"] and "published file does not compile" in report.problems[0].message
    assert lines[report.problems[0].line - 1] == "```python"
    assert run_page(page(tmp_path / "plain", "```python\nx = 1\n```\n\n```python\nfrom __future__ import annotations\nprint(x)\n```\n")[0]).problems == []


def test_a_published_file_sets_up_triton_itself(tmp_path, monkeypatch):
    """The file's preamble, not the checker, turns on Triton's interpreter without a GPU: with a
    preamble that leaves it out, the listings see it off."""
    from folio import script

    require_cpu_only()
    assert 'os.environ.setdefault("TRITON_INTERPRET", "1")' in script.PREAMBLE
    monkeypatch.setattr(script, "PREAMBLE", script.PREAMBLE.replace('os.environ.setdefault("TRITON_INTERPRET", "1")', "pass"))
    listing = "```python\nimport os\nimport torch\nprint(os.environ.get('TRITON_INTERPRET'))\n```\n\n```text title=\"Output\"\nNone\n```\n"
    doc, _ = series_part(tmp_path, listing)
    report = run_page(doc)
    assert (report.executed, report.failed) == (1, 0), report.problems


FORK_FACTS = """```python
import json, os, sys
print(os.getppid(), 'torch' in sys.modules, hasattr(json, 'folio_mark'), hash('folio'), os.environ.get('FOLIO_TEST_MARK'))
json.folio_mark = True
```
"""


def test_pages_run_in_fresh_forks_of_one_preloaded_interpreter(tmp_path, monkeypatch):
    """Each page runs in its own child of one zygote that imported PyTorch once: nothing a page
    changes reaches the next, the hash seed is the one a fresh interpreter gets, and variables
    set after the zygote started still reach the run."""
    first, _ = page(tmp_path / "a", FORK_FACTS)
    second, _ = page(tmp_path / "b", FORK_FACTS)
    monkeypatch.setenv("FOLIO_TEST_MARK", "first")
    one = run_page(first).outputs
    monkeypatch.setenv("FOLIO_TEST_MARK", "second")
    two = run_page(second).outputs
    (parent_one, torch_one, marked_one, hash_one, mark_one), (parent_two, torch_two, marked_two, hash_two, mark_two) = (
        next(iter(out.values())).split() for out in (one, two)
    )
    fresh = subprocess.run([sys.executable, "-c", "print(hash('folio'))"], env={"PYTHONHASHSEED": "0"}, capture_output=True, text=True).stdout.split()
    assert parent_one == parent_two != str(os.getpid())
    assert torch_one == torch_two == str(importlib.util.find_spec("torch") is not None)
    assert marked_one == marked_two == "False" and hash_one == hash_two == fresh[0]
    assert (mark_one, mark_two) == ("first", "second")


def test_a_listing_that_ends_its_interpreter_is_reported(tmp_path):
    doc, _ = page(tmp_path, "```python\nimport os\nos._exit(3)\n```\n")
    report = run_page(doc)
    assert [p.code for p in report.problems] == ["EXE001"] and "crashed the interpreter" in report.problems[0].message
    assert "status 3" in report.problems[0].message


def test_without_a_zygote_each_page_gets_a_fresh_interpreter(tmp_path, monkeypatch):
    from folio import execute

    monkeypatch.setattr(execute, "zygote_for", lambda env: None)
    doc, _ = page(tmp_path, "```python\nprint(6 * 7)\n```\n\n```text title=\"Output\"\n42\n```\n")
    report = run_page(doc)
    assert (report.executed, report.failed) == (1, 0), report.problems


def test_a_run_past_its_limit_is_killed(tmp_path):
    from folio.zygote import wait_for

    sleeper = subprocess.Popen(["sleep", "30"])
    assert wait_for(tmp_path / "status", sleeper.pid, 0.2, lambda: sleeper.poll() is None) == (None, True)
    assert sleeper.wait(timeout=5) == -9
    (tmp_path / "status").write_text("0")
    assert wait_for(tmp_path / "status", sleeper.pid, 0.2) == (0, False)


def test_a_forked_run_imports_from_its_own_folder_and_has_its_own_random_state(tmp_path):
    listing = (
        "```python\nimport pathlib, random\npathlib.Path('helper_module.py').write_text('ANSWER = 42')\n"
        "import helper_module\nprint(helper_module.ANSWER, random.random())\n```\n"
    )
    first, _ = page(tmp_path / "a", listing)
    second, _ = page(tmp_path / "b", listing)
    (answer_one, draw_one), (answer_two, draw_two) = (next(iter(run_page(doc).outputs.values())).split() for doc in (first, second))
    assert answer_one == answer_two == "42" and draw_one != draw_two


KILL_THE_ZYGOTE = "import os, signal\nif b'--zygote' in open(f'/proc/{os.getppid()}/cmdline', 'rb').read():\n    os.kill(os.getppid(), signal.SIGKILL)\n"


def test_a_run_whose_zygote_dies_is_watched_to_its_end(tmp_path):
    """The run goes on without its zygote: its own results are read when it ends (no timeout)."""
    import time

    doc, _ = page(tmp_path / "a", f"```python\n{KILL_THE_ZYGOTE}import time\ntime.sleep(0.5)\nprint('done')\n```\n")
    started = time.monotonic()
    report = run_page(doc, timeout=20)
    assert (report.executed, report.failed) == (1, 0) and time.monotonic() - started < 15, report.problems
    assert next(iter(report.outputs.values())) == "done\n"


def test_a_run_that_dies_with_its_zygote_reruns_in_a_fresh_interpreter(tmp_path):
    doc, _ = page(tmp_path / "a", f"```python\n{KILL_THE_ZYGOTE}    os._exit(5)\nprint(6 * 7)\n```\n\n```text title=\"Output\"\n42\n```\n")
    report = run_page(doc)
    assert (report.executed, report.failed) == (1, 0), report.problems
    after, _ = page(tmp_path / "b", "```python\nprint(6 * 7)\n```\n\n```text title=\"Output\"\n42\n```\n")
    report = run_page(after)
    assert (report.executed, report.failed) == (1, 0), report.problems


def test_a_run_that_would_hang_its_interpreter_at_exit_times_out(tmp_path):
    """Results written, then a thread keeps the interpreter from exiting: as for a reader, it times out."""
    import json

    from folio.execute import _worker_env
    from folio.zygote import TIMED_OUT, zygote_for

    env = _worker_env(LISTING_WORKERS)
    payload = json.dumps([{"code": "import threading, time\nthreading.Thread(target=time.sleep, args=(30,)).start()\nprint('left running')", "timeout": 5}])
    assert zygote_for(env).run(tmp_path, payload, env, 1) == ([], TIMED_OUT)


def test_a_forked_run_ends_as_an_interpreter_does(tmp_path):
    """Threads a listing's executor left idle are shut down (the run does not hang) and its atexit
    handlers run, as when a reader runs the file."""
    marker = tmp_path / "atexit-ran"
    listing = (
        "```python\nimport atexit, pathlib\nfrom concurrent.futures import ThreadPoolExecutor\n"
        f"pool = ThreadPoolExecutor(2)\nprint(pool.submit(sum, [20, 22]).result())\natexit.register(pathlib.Path({str(marker)!r}).touch)\n```\n"
    )
    doc, _ = page(tmp_path / "page", listing)
    report = run_page(doc, timeout=10)
    assert (report.executed, report.failed) == (1, 0) and marker.exists(), report.problems


def test_a_listing_s_functions_have_their_source(tmp_path):
    """Triton compiles a kernel from its source (inspect.getsource) when it runs on a GPU."""
    doc, _ = page(tmp_path, "```python\nimport inspect\n\ndef kernel(x):\n    return x + 1\n\nprint(inspect.getsource(kernel).splitlines()[0])\n```\n\n```text title=\"Output\"\ndef kernel(x):\n```\n")
    report = run_page(doc)
    assert (report.executed, report.failed) == (1, 0), report.problems


def test_a_triton_kernel_compiles_from_a_listing_without_the_interpreter(tmp_path):
    """On a GPU Triton's interpreter is off and @triton.jit reads the kernel's source (before this,
    every kernel in a listing failed there: "@jit functions should be defined in a Python file")."""
    require("triton")
    listing = (
        "```python\nimport os\nos.environ.pop('TRITON_INTERPRET', None)\nimport triton\n\n"
        "@triton.jit\ndef noop(x_ptr):\n    pass\n\nprint(type(noop).__name__)\n```\n\n```text title=\"Output\"\nJITFunction\n```\n"
    )
    doc, _ = page(tmp_path, listing)
    report = run_page(doc)
    assert (report.executed, report.failed) == (1, 0), report.problems
