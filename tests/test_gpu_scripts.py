"""The GPU measuring scripts in figures/src/gpu: without a GPU each stops with one line and never
prints a number; their shared table and roofline pieces are right on a CPU."""

from __future__ import annotations

import importlib
import re

import pytest

from conftest import ROOT

# The scripts import PyTorch (1.2 s, and half a second more when the worker exits): their tests
# run on one worker, which imports it once.
pytestmark = pytest.mark.xdist_group("gpu-scripts")
GPU_DIR = ROOT / "figures" / "src" / "gpu"
SCRIPTS = sorted(p.stem for p in GPU_DIR.glob("[!_]*.py"))


@pytest.fixture(autouse=True)
def gpu_scripts_importable(monkeypatch):
    monkeypatch.syspath_prepend(str(GPU_DIR))
    monkeypatch.syspath_prepend(str(GPU_DIR.parent))


def test_every_measurement_of_the_about_page_has_its_script():
    page = (ROOT / "docs" / "about" / "measurements.md").read_text(encoding="utf-8")
    named = set(re.findall(r"figures/src/gpu/(\w+)\.py", page))
    assert len(named) >= 7 and named <= set(SCRIPTS), named - set(SCRIPTS)


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_is_marked_and_says_how_to_run(name):
    text = (GPU_DIR / f"{name}.py").read_text(encoding="utf-8")
    assert text.startswith("# folio: gpu\n"), f"{name}.py: first line must be '# folio: gpu'"
    for page in (p for line in re.findall(r"^# folio: measures (.+)$", text, re.M) for p in line.split()):
        assert (ROOT / page).is_file(), f"{name}.py measures {page}, which does not exist"
    assert f"Run: .venv/bin/python figures/src/gpu/{name}.py" in text


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_without_a_gpu_stops_with_one_line(name, monkeypatch, capsys):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    module = importlib.import_module(name)
    with pytest.raises(SystemExit) as stop:
        module.main()
    message = str(stop.value.code)
    assert message == f"{name}.py: no CUDA GPU on this machine; it measures on a GPU and reports nothing without one"
    assert capsys.readouterr().out == "", "a script without a GPU printed something"


def test_table_prints_markdown_with_readable_numbers():
    from _gpu import Table

    table = Table("Title", ["kernel", "tokens", "us", "speed-up"], [["add", 1, 54.5, 1.6839], ["mul", 4096, 1234.56, "2.00x"]], ["A note."])
    assert table.markdown().splitlines() == [
        "### Title",
        "",
        "| kernel | tokens | us | speed-up |",
        "|---|---:|---:|---:|",
        "| add | 1 | 54.5 | 1.68 |",
        "| mul | 4096 | 1235 | 2.00x |",
        "",
        "A note.",
    ]


def test_decode_step_compares_with_the_roofline_the_article_draws():
    import numpy as np

    batching_roofline = importlib.import_module("batching_roofline")
    # the roofline column of docs/about/measurements.md, from the article's own model
    for context, batch, floor_ms in ((1024, 1, 4.520), (1024, 256, 14.737), (4096, 64, 14.737)):
        assert float(batching_roofline.step_time(np.array([batch]), context)[0]) * 1e3 == pytest.approx(floor_ms, abs=5e-4)
