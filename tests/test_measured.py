"""GPU results: the file schema, rendering with provenance, the staleness rule, and `folio gpu`
without a GPU. Everything here runs on a CPU."""

from __future__ import annotations

import json

import markdown
import pytest

from conftest import explainer, make_site
from folio import gpu, measured
from folio.checks import Context, check_site

SCRIPT = '# folio: gpu\n"""Time a thing on the GPU."""\nprint("provenance: device: X")\n'
LISTING = "# folio: gpu\nimport torch\nprint(torch.ones(1, device='cuda'))\n"
PROVENANCE = {"device": "NVIDIA H100 80GB HBM3", "driver": "580.159.04", "cuda": "13.0", "torch": "2.11.0+cu130", "triton": "3.6.0",
              "power_limit_w": "700", "max_sm_clock_mhz": "1980", "date": "2026-11-28", "git_commit": "abc1234def"}
OUTPUT = "### First\n\n| tokens | us |\n|---:|---:|\n| 1 | 54.5 |\n\nA note.\n\n### Second\n\n| block | GB/s |\n|---|---:|\n| 16 KiB | 1.4 |\n"


def results_file(script_text: str = SCRIPT, listing_code: str = LISTING, **overrides) -> dict:
    data = {
        "schema": 1,
        "provenance": dict(PROVENANCE),
        "results": [
            {"id": "figures/src/gpu/thing.py", "kind": "script", "what": "Time a thing.", "source_sha256": measured.source_hash(script_text), "output": OUTPUT},
            {"id": "docs/explainers/x.md#gpu-listing-1", "kind": "listing", "what": "GPU listing 1", "source_sha256": measured.source_hash(listing_code), "output": "tensor([1.], device='cuda:0')\n"},
        ],
    }
    data.update(overrides)
    return data


def site(tmp_path, body: str, data: dict | None = None, script: str = SCRIPT):
    files = {"docs/explainers/x.md": explainer(body_extra=body), "figures/src/gpu/thing.py": script}
    if data is not None:
        files["figures/measured/nvidia-h100-2026-11-28.json"] = json.dumps(data)
    return make_site(tmp_path, files)


def gpu_problems(root):
    return [p for p in check_site(Context.load(root)) if p.code.startswith("GPU")]


def line_of(root, needle: str) -> int:
    text = (root / "docs" / "explainers" / "x.md").read_text().split("\n")
    return next(i for i, line in enumerate(text, start=1) if needle in line)


GPU_BODY = f"```python\n{LISTING}```\n\n<!-- folio:measured listing -->\n\n<!-- folio:measured figures/src/gpu/thing.py table=2 -->\n"


def test_current_results_stay_quiet(tmp_path):
    assert gpu_problems(site(tmp_path, GPU_BODY, results_file())) == []


def test_changed_listing_is_stale_and_names_the_line_and_the_command(tmp_path):
    root = site(tmp_path, GPU_BODY.replace("torch.ones(1", "torch.ones(2"), results_file())
    problems = gpu_problems(root)
    assert [p.code for p in problems] == ["GPU001"]
    assert problems[0].path == "docs/explainers/x.md" and problems[0].line == line_of(root, "folio:measured listing")
    assert "make gpu" in problems[0].message


def test_changed_script_is_stale(tmp_path):
    root = site(tmp_path, GPU_BODY, results_file(), script=SCRIPT + "print('one more line')\n")
    problems = gpu_problems(root)
    assert [p.code for p in problems] == ["GPU001"]
    assert problems[0].line == line_of(root, "thing.py table=2")
    assert "figures/src/gpu/thing.py changed since it was measured (figures/measured/nvidia-h100-2026-11-28.json)" in problems[0].message


def test_missing_result_unknown_script_and_misplaced_listing_marker(tmp_path):
    body = "<!-- folio:measured figures/src/gpu/thing.py -->\n\n<!-- folio:measured figures/src/gpu/nope.py -->\n\n<!-- folio:measured listing -->\n"
    messages = [p.message for p in gpu_problems(site(tmp_path, body, None))]
    assert "figures/src/gpu/thing.py has never been measured" in messages[0]
    assert "no GPU measuring script figures/src/gpu/nope.py" in messages[1]
    assert "must come right after a Python listing whose first line is '# folio: gpu'" in messages[2]


def test_markers_in_code_blocks_are_text(tmp_path):
    body = "```markdown\n<!-- folio:measured figures/src/gpu/nope.py -->\n```\n"
    assert gpu_problems(site(tmp_path, body, results_file())) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema": 2}, "schema: expected 1"),
        ({"provenance": {**PROVENANCE, "driver": ""}}, "provenance.driver: missing"),
        ({"results": []}, "results: expected a non-empty list"),
    ],
)
def test_results_file_schema_fires_with_the_field(tmp_path, change, message):
    problems = gpu_problems(site(tmp_path, "", results_file(**change)))
    assert [p.code for p in problems] == ["GPU002"] and message in problems[0].message
    assert problems[0].path == "figures/measured/nvidia-h100-2026-11-28.json"


def test_result_schema_checks_kind_and_hash():
    data = results_file()
    data["results"][0].update(kind="guess", source_sha256="abc")
    errors = measured.validate(data)
    assert "results[1].kind: expected 'script' or 'listing', got 'guess'" in errors
    assert "results[1].source_sha256: expected 64 hex digits" in errors
    assert measured.validate(results_file()) == []


def test_rendering_shows_the_output_with_its_provenance(tmp_path):
    root = site(tmp_path, "", results_file())
    md = markdown.Markdown(extensions=["tables", "attr_list", "pymdownx.superfences", "folio_measured"], extension_configs={"folio_measured": {"root": str(root)}})
    html = md.convert(f"```python\n{LISTING}```\n\n<!-- folio:measured listing -->\n\n<!-- folio:measured figures/src/gpu/thing.py table=2 -->\n")
    provenance = "Measured on NVIDIA H100 80GB HBM3 (driver 580.159.04, CUDA 13.0, PyTorch 2.11.0+cu130, Triton 3.6.0, power limit 700 W) on 2026-11-28."
    assert html.count(provenance) == 2 and html.count('class="folio-measured"') == 2
    assert "device=&#x27;cuda:0&#x27;" in html or "device='cuda:0'" in html
    assert "<td>16 KiB</td>" in html and "54.5" not in html, "table=2 shows the second table only"
    assert 'href="/figures/measured/nvidia-h100-2026-11-28.json"' in html
    md.reset()
    stale = md.convert(f"```python\n{LISTING.replace('1', '2')}```\n\n<!-- folio:measured listing -->\n")
    assert "Measurement out of date" in stale and "cuda:0" not in stale


def test_folio_gpu_without_a_gpu_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(gpu, "cuda_available", lambda: False)
    assert gpu.main(tmp_path) == 1
    captured = capsys.readouterr()
    assert captured.err == gpu.NO_GPU + "\n" and captured.out == ""
    assert not (tmp_path / "figures" / "measured").exists(), "no result may be written without a GPU"


def test_results_file_update_replaces_results_of_the_same_source(tmp_path):
    path = gpu.results_path(tmp_path, "NVIDIA H100 80GB HBM3", "2026-11-28")
    assert path.name == "nvidia-h100-80gb-hbm3-2026-11-28.json"
    first = results_file()["results"]
    gpu.write_results(path, PROVENANCE, first)
    newer = {**first[0], "output": "### First\n\n| a |\n|---|\n| 2 |\n"}
    gpu.write_results(path, PROVENANCE, [newer])
    saved = json.loads(path.read_text())["results"]
    assert [r["id"] for r in saved] == [first[1]["id"], first[0]["id"]] and saved[1]["output"] == newer["output"]
    with pytest.raises(ValueError, match=r"provenance\.driver: missing"):
        gpu.write_results(path, {**PROVENANCE, "driver": ""}, first)


def test_script_output_loses_its_provenance_line():
    assert gpu.strip_provenance("provenance: device: X, date: 2026-11-28\n\n### T\n\n| a |\n") == "### T\n\n| a |\n"
    assert gpu.what_of(SCRIPT, "fallback") == "Time a thing on the GPU."


MEASURING = '# folio: gpu\n# folio: measures docs/explainers/x.md\n"""Time the page\'s kernel."""\n'


def test_a_script_that_measures_a_page_goes_stale_when_the_page_code_changes(tmp_path):
    body = "```python\ndef kernel():\n    return 1\n```\n\n<!-- folio:measured figures/src/gpu/thing.py -->\n"
    root = site(tmp_path, body, None, script=MEASURING)
    data = results_file(script_text=MEASURING)
    data["results"][0]["source_sha256"] = measured.script_hash(root, "figures/src/gpu/thing.py")
    (root / "figures" / "measured").mkdir(parents=True)
    (root / "figures" / "measured" / "nvidia-h100-2026-11-28.json").write_text(json.dumps(data))
    assert gpu_problems(root) == []
    page = root / "docs" / "explainers" / "x.md"
    page.write_text(page.read_text().replace("return 1", "return 2"))
    assert [p.code for p in gpu_problems(root)] == ["GPU001"]


def test_an_as_of_marker_shows_an_earlier_result_labelled_as_such(tmp_path):
    body = "<!-- folio:measured figures/src/gpu/thing.py table=1 as-of=abc1234 -->\n\n<!-- folio:measured figures/src/gpu/thing.py as-of=fff0000 -->\n\n<!-- folio:measured thing.py tabel=1 -->\n"
    root = site(tmp_path, body, results_file(script_text="an older script\n"))
    problems = gpu_problems(root)
    assert [p.message.split(";")[0] for p in problems] == ["no result of figures/src/gpu/thing.py was measured at commit fff0000", "malformed marker"]
    md = markdown.Markdown(extensions=["tables", "attr_list", "folio_measured"], extension_configs={"folio_measured": {"root": str(root)}})
    html = md.convert(body.split("\n\n")[0])
    assert "describe the code as of commit abc1234; it has changed since" in html and ">54.5</td>" in html
