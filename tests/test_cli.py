"""The `folio` command: output format, exit status, summary, rule list."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import explainer, make_site


def folio(cwd, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "folio.cli", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_check_prints_ruff_style_lines_and_exits_1(tmp_path):
    bad = explainer().replace("[@williams2009roofline]", "[@missing2020key]")
    root = make_site(tmp_path, {"docs/explainers/x.md": bad})
    result = folio(root, "check", "docs/explainers/x.md")
    assert result.returncode == 1
    assert re.search(r"^docs/explainers/x\.md:\d+:\d+: CIT001 unknown citation key 'missing2020key'", result.stdout, re.M)
    assert re.search(r"^Checked 1 documents in [\d.]+ s: \d+ problems?\.$", result.stdout, re.M)
    assert "Traceback" not in result.stderr


def test_check_exits_0_when_clean(tmp_path):
    root = make_site(tmp_path, {"docs/about.md": "# About\n\nA page without problems.\n"}, bib="")
    (root / "figures" / "demo.svg").unlink()
    result = folio(root, "check")
    assert result.returncode == 0, result.stdout
    assert "0 problems" in result.stdout


def test_missing_path_is_a_clear_error(tmp_path):
    root = make_site(tmp_path, {})
    result = folio(root, "check", "docs/nope.md")
    assert result.returncode == 2 and "docs/nope.md: no such file" in result.stderr


def test_list_rules(tmp_path):
    result = folio(tmp_path, "check", "--list-rules")
    assert result.returncode == 0
    assert re.search(r"^CIT001\s+error\s+citation of a key that no BibTeX file defines \(build and check\)\. Fix: add the entry", result.stdout, re.M)
    assert re.search(r"^LNK005\s+warning\s+", result.stdout, re.M)
