"""`folio gpu`: run every GPU measurement on a CUDA machine and record the results with provenance.

It runs each script in figures/src/gpu/ and each listing marked `# folio: gpu` (compiled for the
GPU, PyTorch's default device set to it) and writes figures/measured/<device>-<date>.json: what
was measured, the output, the device, driver, CUDA, PyTorch and Triton versions, the power limit
and clocks, the git commit, and the SHA-256 of each script or listing. Pages show those results
through `<!-- folio:measured ... -->` markers, and rule GPU001 flags any whose source has changed.
Without a GPU it says so in one line and exits non-zero; it never writes a result it did not measure.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from folio import measured
from folio.documents import Site

NO_GPU = "folio gpu: no CUDA GPU on this machine; nothing was measured (run it where `nvidia-smi` lists a GPU)"
SCRIPT_TIMEOUT = 1800
PROVENANCE_PREFIX = "provenance: "  # the first line each script prints (figures/src/gpu/_gpu.py)


def cuda_available() -> bool:
    if shutil.which("nvidia-smi") is None:  # no driver: no GPU, and no need to import torch to know
        return False
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def provenance(root: Path | None = None) -> dict[str, str]:
    """The device, its driver, power limit and clocks, and the library versions, for a results file."""
    import torch

    props = torch.cuda.get_device_properties(0)
    info = {
        "device": props.name,
        "sms": str(props.multi_processor_count),
        "cuda": torch.version.cuda or "unknown",
        "torch": torch.__version__,
        "triton": _version("triton"),
        "date": dt.date.today().isoformat(),
        "git_commit": _git_commit(root) if root else "unknown",
    }
    query = "driver_version,power.limit,clocks.max.sm"
    try:
        out = subprocess.run(["nvidia-smi", f"--query-gpu={query}", "--format=csv,noheader,nounits", "--id=0"], capture_output=True, text=True, timeout=30, check=True).stdout
        driver, power, clock = (value.strip() for value in out.splitlines()[0].split(","))
        info.update(driver=driver, power_limit_w=power, max_sm_clock_mhz=clock)
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        info.update(driver="unknown (nvidia-smi not available)", power_limit_w="unknown", max_sm_clock_mhz="unknown")
    return info


def _version(module: str) -> str:
    try:
        return str(__import__(module).__version__)
    except ImportError:
        return "not installed"


def _git_commit(root: Path) -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}-dirty" if dirty else head


def results_path(folder: Path, device: str, date: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", device.lower()).strip("-")
    return folder / f"{slug}-{date}.json"


def what_of(script_text: str, fallback: str) -> str:
    """The first line of a script's docstring: what it measures."""
    try:
        doc = ast.get_docstring(ast.parse(script_text)) or ""
    except SyntaxError:
        doc = ""
    return doc.strip().splitlines()[0] if doc.strip() else fallback


def strip_provenance(output: str) -> str:
    """A script prints its provenance first (the results file keeps it apart), then its tables."""
    lines = output.strip("\n").splitlines()
    if lines and lines[0].startswith(PROVENANCE_PREFIX):
        lines = lines[1:]
    return "\n".join(lines).strip("\n") + "\n"


def run_scripts(root: Path) -> tuple[list[dict[str, Any]], list[str]]:
    results, failures = [], []
    for script in sorted((root / measured.SCRIPTS_DIR).glob("[!_]*.py")):
        rel = script.relative_to(root).as_posix()
        text = script.read_text(encoding="utf-8")
        print(f"running {rel}", flush=True)
        try:
            done = subprocess.run([sys.executable, str(script)], cwd=root, capture_output=True, text=True, timeout=SCRIPT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            failures.append(f"{rel}: ran past {SCRIPT_TIMEOUT} s")
            continue
        if done.returncode != 0:
            failures.append(f"{rel}: exit {done.returncode}: {(done.stderr.strip().splitlines() or ['no message'])[-1]}")
            continue
        results.append({"id": rel, "kind": "script", "what": what_of(text, rel), "source_sha256": measured.script_hash(root, rel), "output": strip_provenance(done.stdout)})
    return results, failures


def run_listings(root: Path) -> tuple[list[dict[str, Any]], list[str]]:
    from folio.execute import run_document

    results, failures = [], []
    for doc in Site.load(root).documents:
        blocks = measured.gpu_listings(measured.fenced_blocks(doc.text.split("\n")))
        if not blocks:
            continue
        print(f"running the GPU listings of {doc.rel_path}", flush=True)
        report = run_document(doc, device="cuda")  # its GPU listings get GPU_LISTING_TIMEOUT there
        failures += [str(p) for p in report.problems]
        for ordinal, block in enumerate(blocks, start=1):
            if block.open in report.outputs:
                results.append(
                    {
                        "id": measured.listing_id(doc.rel_path, ordinal),
                        "kind": "listing",
                        "what": f"GPU listing {ordinal} of {doc.rel_path} (line {block.open})",
                        "source_sha256": measured.source_hash(block.code),
                        "output": report.outputs[block.open],
                    }
                )
    return results, failures


def write_results(path: Path, info: dict[str, str], results: list[dict[str, Any]]) -> None:
    """Write (or update: same ids are replaced) one device's results file for one date."""
    existing: list[dict[str, Any]] = []
    if path.exists():
        existing = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    fresh = {r["id"] for r in results}
    data = {"schema": measured.SCHEMA_VERSION, "provenance": info, "results": [r for r in existing if r["id"] not in fresh] + results}
    errors = measured.validate(data)
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(root: Path) -> int:
    if not cuda_available():
        print(NO_GPU, file=sys.stderr)
        return 1
    info = provenance(root)
    scripts, script_failures = run_scripts(root)
    listings, listing_failures = run_listings(root)
    results = scripts + listings
    if results:
        path = results_path(root / measured.RESULTS_DIR, info["device"], info["date"])
        write_results(path, info, results)
        print(f"{len(results)} results written to {path.relative_to(root)}")
    for failure in script_failures + listing_failures:
        print(f"failed: {failure}", file=sys.stderr)
    return 1 if script_failures or listing_failures or not results else 0
