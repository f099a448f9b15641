"""Shared helpers: throw-away sites built from the real configuration and theme."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

GOOD_BIB = """@inproceedings{kwon2023vllm,
  title         = {Efficient Memory Management for Large Language Model Serving with PagedAttention},
  author        = {Kwon, Woosuk and Li, Zhuohan and others},
  booktitle     = {Proceedings of the 29th Symposium on Operating Systems Principles},
  year          = {2023},
  eprint        = {2309.06180},
  archivePrefix = {arXiv},
}

@inproceedings{yu2022orca,
  title     = {Orca: A Distributed Serving System for Transformer-Based Generative Models},
  author    = {Yu, Gyeong-In and Jeong, Joo Seong and Kim, Geon-Woo and Kim, Soojeong and Chun, Byung-Gon},
  booktitle = {16th USENIX Symposium on Operating Systems Design and Implementation (OSDI 22)},
  year      = {2022},
  url       = {https://www.usenix.org/conference/osdi22/presentation/yu},
}

@article{williams2009roofline,
  title   = {Roofline: An Insightful Visual Performance Model for Multicore Architectures},
  author  = {Williams, Samuel and Waterman, Andrew and Patterson, David},
  journal = {Communications of the ACM},
  year    = {2009},
  doi     = {10.1145/1498765.1498785},
}
"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>box</title><rect width="10" height="10"/></svg>\n'


def pytest_configure(config: pytest.Config) -> None:
    """Many tests start interpreters that import folio (command-line builds, `folio` commands,
    listing runs): the controller compiles folio once, before the workers start, so that they
    read its bytecode instead of each compiling its sources (folio.compile_bytecode)."""
    if not hasattr(config, "workerinput"):
        import folio

        folio.compile_bytecode()


# Listing runs in the tests size their threads for two pages at a time, one per pytest worker
# (make test runs two). The content and runner tests must agree: runs with other start-up
# variables (a thread count) fork from another preloaded interpreter, 1.5 s of CPU each.
LISTING_WORKERS = 2


def explainer(title: str = "Iteration batching in brief", body_extra: str = "", front_extra: str = "") -> str:
    """A small explainer that satisfies every build rule."""
    return f"""---
title: "{title}"
summary: "How iteration-level scheduling keeps a GPU busy while requests come and go."
description: "Iteration-level scheduling in brief: fewer idle GPU cycles between LLM requests."
date: 2026-11-23
authors: [llm-systems-notes]
tags: [inference, batching]
type: explainer
status: published
{front_extra}---

## Problem

Request-level batching waits for the longest sequence [@yu2022orca].

## Approach

Schedule every iteration, as shown in [](#fig-demo) and [](#tab-demo) [@kwon2023vllm; @yu2022orca].

![A square that stands for one scheduler step](/figures/demo.svg)

/// figure-caption | #fig-demo
One scheduler step.
///

The cost per token is $t = \\frac{{b}}{{B}}$, and in display form:

$$
T = \\sum_{{i=1}}^{{n}} t_i
$$

{body_extra}

## Benefits

Higher throughput at equal latency [@williams2009roofline].

## Key concepts

| Term | Definition |
|---|---|
| Iteration | One forward pass over the running batch. |

/// table-caption | #tab-demo
Terms.
///
"""


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path


def make_site(tmp: Path, files: dict[str, str], bib: str = GOOD_BIB) -> Path:
    """A site folder with the real mkdocs.yml and theme, the given files and a bibliography."""
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", tmp / "overrides")
    (tmp / "docs").mkdir(exist_ok=True)
    shutil.copy(ROOT / "docs" / ".authors.yml", tmp / "docs" / ".authors.yml")
    (tmp / "references").mkdir(exist_ok=True)
    (tmp / "references" / "library.bib").write_text(bib, encoding="utf-8")
    (tmp / "figures").mkdir(exist_ok=True)
    (tmp / "figures" / "demo.svg").write_text(SVG, encoding="utf-8")
    (tmp / "docs" / "index.md").write_text("# Home\n\n<!-- folio:landing -->\n", encoding="utf-8")
    for rel, text in files.items():
        path = tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp


CLI_ONLY = {"-q", "--quiet", "-v", "--verbose"}  # log levels are set by MkDocs' command line


def build(site: Path, *args: str, env: dict[str, str] | None = None) -> BuildResult:
    """`mkdocs build --strict` of a site, in this process (no interpreter start-up) unless the
    arguments are ones only MkDocs' command line handles; the output reads like the CLI's."""
    if CLI_ONLY & set(args):
        return build_cli(site, *args, env=env)
    strict = "--no-strict" not in args
    site_dir = Path(args[args.index("--site-dir") + 1]) if "--site-dir" in args else site / "site"
    return build_in_process(site, strict, site_dir, env or {})


def build_cli(site: Path, *args: str, env: dict[str, str] | None = None) -> BuildResult:
    env = {**(env or os.environ), "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=site,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return BuildResult(completed.returncode, completed.stdout + completed.stderr, site / "site")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


def build_in_process(site: Path, strict: bool, site_dir: Path, env: dict[str, str]) -> BuildResult:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    env = {"NO_MKDOCS_2_WARNING": "1", **env}
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    logger = logging.getLogger("mkdocs")
    collect, level = _Collect(), logger.level
    logger.addHandler(collect)
    logger.setLevel(logging.INFO)
    returncode = 0
    try:
        config = load_config(str(site / "mkdocs.yml"), strict=strict, site_dir=str(site_dir))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:  # what the command line reports as "Aborted with ..."
        returncode = 1
        collect.lines.append(f"{type(exc).__name__}: {exc}")
    except Exception:  # noqa: BLE001 - the command line would print this traceback
        returncode = 1
        collect.lines.append(traceback.format_exc())
    finally:
        logger.removeHandler(collect)
        logger.setLevel(level)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return BuildResult(returncode, "\n".join(collect.lines), site_dir)


@pytest.fixture
def site_factory(tmp_path: Path):
    def factory(files: dict[str, str], bib: str = GOOD_BIB) -> Path:
        return make_site(tmp_path, files, bib)

    return factory


@pytest.fixture(scope="session")
def real_site(tmp_path_factory, worker_id) -> Path:
    """The real site, built once per test session with the strict configuration: the first
    xdist worker to need it builds it under a lock in the session's shared folder, and the
    others wait for it and reuse it (the pattern pytest-xdist documents)."""
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    out = shared / "real-site"
    with FileLock(str(shared / "real-site.lock")):
        failure = shared / "real-site.failed"
        if failure.exists():
            pytest.fail(failure.read_text())
        if not (out / "index.html").exists():
            result = build(ROOT, "--site-dir", str(out))
            if result.returncode != 0:
                failure.write_text(result.output)
                pytest.fail(result.output)
    return out


# -- browser ----------------------------------------------------------------------------


def site_pages(site: Path) -> list[str]:
    """URL paths of every HTML page a reader can reach (not the 404 page)."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


ELEMENT = re.compile(r"<([a-zA-Z][\w-]*)\b([^>]*)>")
CLASS_ATTRIBUTE = re.compile(r"""\bclass=(["'])(.*?)\1""")


def page_elements(html: str) -> set[str]:
    """Every element kind on a page, as 'tag' and 'tag.class' (what styles and ARIA apply to)."""
    kinds = set()
    for match in ELEMENT.finditer(html):
        tag = match.group(1).lower()
        kinds.add(tag)
        classes = CLASS_ATTRIBUTE.search(match.group(2))
        kinds.update(f"{tag}.{name}" for name in (classes.group(2).split() if classes else ()))
    return kinds


def representative_pages(site: Path) -> list[str]:
    """A small set of pages that together show everything the site renders: one page of each
    kind (its section and depth: the landing page, each collection index, a document of each
    collection, each about page type), then, greedily, the page that adds the most element
    kinds not yet covered, until every element kind on any page is covered. (The 404 page
    links its assets under site_url's path, which the test server does not serve, so it is
    left out.) An accessibility scan of these covers every template and every styled element
    in about a third of the time of scanning every page."""
    elements = {path: page_elements((site / path / "index.html").read_text(encoding="utf-8")) for path in site_pages(site)}
    chosen: dict[tuple[str, int], str] = {}
    for path in elements:
        parts = [part for part in path.split("/") if part]
        chosen.setdefault((parts[0] if parts else "", len(parts)), path)
    selected = list(chosen.values())
    covered = set().union(*(elements[path] for path in selected))
    everything = set().union(*elements.values())
    while covered != everything:
        best = max(elements, key=lambda path: len(elements[path] - covered))
        selected.append(best)
        covered |= elements[best]
    return selected


def visit(page, url: str) -> None:
    """Open a page as a reader finds it: loaded, with the site's scripts run (they start after
    the first paint, overrides/main.html)."""
    from folio.pdf import READY

    page.goto(url, wait_until="load")
    page.wait_for_function(READY)


STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>", re.S | re.IGNORECASE)


def markup(html: str) -> str:
    """A built page without its <style> elements: folio.css is written into every page, so a
    class name or a comment in it would match any substring check on the page's HTML."""
    return STYLE_ELEMENT.sub("", html)


def add_axe(page) -> None:
    """axe-core (as axe-playwright-python ships it) in the loaded page, once per page: sending its
    550 KB with every run was a second of each scan."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(Axe().axe_script)


def axe_violations(page, context: dict | None, options: dict) -> list[dict]:
    """axe-core's own axe.run in the loaded page."""
    add_axe(page)
    return page.evaluate("([context, options]) => axe.run(context || document, options).then(results => results.violations)", [context, options])


@pytest.fixture(scope="session")
def base_url(real_site: Path):
    from folio.pdf import serve

    with serve(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from folio.pdf import CHROMIUM_ARGS, chromium_path

    if chromium_path() is None and not os.environ.get("CI"):
        pytest.skip("no Chromium on this machine (CI installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
