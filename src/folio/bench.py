"""`folio bench`: build time of the full site against plain Material, at growing sizes.

For each size N, a synthetic corpus of N documents is made from the real ones (same
prose, citations, figures, tables, code and math; distinct slugs and titles). It is
built with the full configuration (folio, citations, theme overrides) and with plain
Material (same theme and Markdown extensions, without our plugins and extensions).
Each build runs in a fresh process through MkDocs' command line, three times; the medians
are reported. Full builds read the parsed library from .cache/folio/, as repeated builds
do; at the smallest size the full build is also timed without that cache (a fresh clone,
or the first build after a change to references/), and the target holds for the slower of
the two. The bench also times `folio check` on each corpus and the rebuild `mkdocs serve`
performs after one article of the real site is edited. The table is written to
docs/about/performance.md.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load

import folio
from folio.devserver import ServeTimeout, edit_for_watcher, mkdocs_serve
from folio.documents import Site
from folio.library_cache import CACHE_FILE, load_cached

OUR_EXTENSIONS = {"folio_math", "folio_xref", "folio_measured", "folio_tables"}
PLAIN_PLUGINS = ["search"]
RESULTS_PAGE = Path("docs/about/performance.md")
FIXED_COST_SIZE = 1


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_mib: float


@dataclass(frozen=True)
class Configuration:
    folder: Path
    without_cache: bool = False  # the library cache removed before each build


def make_corpus(root: Path, target: Path, size: int) -> None:
    """N documents copied round-robin from the real ones, with unique slugs and titles."""
    site = Site.load(root)
    sources = [d for d in site.collection_documents if not d.is_draft]
    if not sources:
        raise SystemExit("folio bench: the site has no documents to copy")
    for name in ("mkdocs.yml",):
        shutil.copy(root / name, target / name)
    for folder in ("overrides", "references", "figures"):
        shutil.copytree(root / folder, target / folder, ignore=shutil.ignore_patterns("src", "__pycache__"))
    (target / "docs").mkdir()
    shutil.copy(root / "docs" / ".authors.yml", target / "docs" / ".authors.yml")
    for index in ("index.md", "explainers/index.md", "series/index.md", "articles/index.md"):
        if (root / "docs" / index).exists():
            (target / "docs" / index).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / "docs" / index, target / "docs" / index)
    for i in range(size):
        doc = sources[i % len(sources)]
        copy = i // len(sources)
        text = re.sub(r'^title: "?(.*?)"?$', lambda m, c=copy: f'title: "{m.group(1)} ({c})"', doc.text, count=1, flags=re.M)
        out = target / doc.doc_type.folder / f"{doc.slug}-{copy}.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


def plain_config(corpus: Path) -> Path:
    """A plain-Material twin of the corpus: articles copied into docs/, no folio, no bibtex."""
    plain = corpus.parent / (corpus.name + "-plain")
    shutil.copytree(corpus / "docs", plain / "docs")
    if (corpus / "articles").is_dir():
        shutil.copytree(corpus / "articles", plain / "docs" / "articles", dirs_exist_ok=True)
    shutil.copytree(corpus / "figures", plain / "docs" / "figures")
    config = yaml_load((corpus / "mkdocs.yml").read_text(encoding="utf-8"))  # MkDocs' loader: it reads !ENV
    config["plugins"] = PLAIN_PLUGINS
    config["theme"].pop("custom_dir", None)
    config.pop("extra_css", None)
    config.pop("extra_javascript", None)
    config["strict"] = False
    config["validation"] = {"links": {"absolute_links": "relative_to_docs"}}
    config["markdown_extensions"] = [e for e in config["markdown_extensions"] if (next(iter(e)) if isinstance(e, dict) else e) not in OUR_EXTENSIONS]
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return plain


# `mkdocs build` itself, through MkDocs' command line, with the peak memory printed as the
# process exits (atexit runs this handler last, after the plugins' own).
CHILD = """
import atexit, json, resource, sys
from mkdocs.__main__ import cli
atexit.register(lambda: print(json.dumps({"maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})))
cli(["build", "--no-strict", "--quiet", "--config-file", sys.argv[1], "--site-dir", sys.argv[2]], prog_name="mkdocs")
"""


def time_build(folder: Path, without_cache: bool = False) -> Measurement:
    if without_cache:
        shutil.rmtree(folder / CACHE_FILE.parent, ignore_errors=True)
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(folder / "mkdocs.yml"), out], cwd=folder, capture_output=True, text=True, env=env, check=False
        )
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"folio bench: build of {folder} failed:\n{done.stderr[-2000:]}")
    peak = json.loads(done.stdout.strip().splitlines()[-1])["maxrss_kib"] / 1024
    return Measurement(elapsed, peak)


def interleaved_builds(sizes: list[list[Configuration]], runs: int) -> list[list[list[Measurement]]]:
    """Time every configuration of every size once per round, in the reverse order every
    other round; the measurements by size, then configuration.

    On a shared machine speed drifts over minutes. Rounds that visit every size make a slow
    spell fall on all sizes, and alternating makes it fall on every configuration, instead
    of on whichever happened to run during it.
    """
    results: list[list[list[Measurement]]] = [[[] for _ in configurations] for configurations in sizes]
    for run in range(runs):
        for configurations, measured in zip(sizes, results, strict=True):
            order = list(zip(configurations, measured, strict=True))
            for configuration, runs_of in order if run % 2 == 0 else reversed(order):
                runs_of.append(time_build(configuration.folder, configuration.without_cache))
    return results


def time_check(folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "folio.cli", "check"], cwd=folder, capture_output=True, check=False)
    return time.perf_counter() - started


def time_serve_rebuild(root: Path, runs: int) -> list[float]:
    """Seconds from saving an article to `mkdocs serve` reloading, on a copy of the real site."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".venv", ".git", "site", "__pycache__", ".pytest_cache", "bench-out"))
        article = next(iter(sorted((copy / "articles").glob("*.md"))), None)
        if article is None:
            return []
        try:
            with mkdocs_serve(copy) as server:
                times = []
                for run in range(runs):
                    edited = article.read_text(encoding="utf-8") + f"\n\nEdited for run {run}.\n"
                    started = time.perf_counter()
                    edit_for_watcher(article, edited)
                    server.wait_for("Reloading browsers", 120)
                    times.append(time.perf_counter() - started)
                return times
        except ServeTimeout as exc:
            raise SystemExit(f"folio bench: {exc}") from None


def processor() -> str:
    """The machine's cores and processor, as the measurements' pages record them."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu})"


def machine() -> str:
    import markdown
    import material
    import mkdocs

    return (
        f"{processor()}, Python {platform.python_version()}, MkDocs {mkdocs.__version__}, "
        f"Material {material.__version__ if hasattr(material, '__version__') else 'installed'}, Markdown {markdown.__version__}"
    )


def render(rows: list[dict[str, float]], rebuild: list[float], runs: int, fixed: dict[str, float] | None = None) -> str:
    lines = [
        "| documents | full build (s) | plain Material (s) | full / plain | full ms per document | plain ms per document | full peak MiB | plain peak MiB | `folio check` (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {int(r['size'])} | {r['full']:.2f} | {r['plain']:.2f} | {r['full'] / r['plain']:.2f} | {1000 * r['full'] / r['size']:.1f} | "
            f"{1000 * r['plain'] / r['size']:.1f} | {r['full_mib']:.0f} | {r['plain_mib']:.0f} | {r['check']:.2f} |"
        )
    first, last = rows[0], rows[-1]
    linear = (last["full"] / last["size"]) / (first["full"] / first["size"])
    summary = [
        "",
        f"Medians of {runs} runs, each build in a fresh process (interpreter start included). "
        "Each round builds every size, full and plain (and, at the smallest size, full without the library cache) in alternating order, so that drift in the "
        "machine's speed falls on all of them. Full builds read the parsed BibTeX library from "
        "`.cache/folio/`, as an author's repeated builds do; so does `folio check`.",
        f"Milliseconds per document at {int(last['size'])} documents are {linear:.2f} times those at {int(first['size'])}.",
    ]
    if fixed is not None:
        summary.append(
            f"A one-document corpus builds in {fixed['full']:.2f} s full and {fixed['plain']:.2f} s plain: "
            f"{round(fixed['full'], 2) - round(fixed['plain'], 2):.2f} s is what our additions cost per build, whatever its size."
        )
    for row in (r for r in rows if "uncached" in r):
        summary.append(
            f"Without that cache (a fresh clone, or the first build after a change to `references/`), {int(row['size'])} documents "
            f"build in {row['uncached']:.2f} s full, {row['uncached'] / row['plain']:.2f} times plain (medians of {runs} builds in the same rounds)."
        )
    rebuild_s = statistics.median(rebuild) if rebuild else float("nan")
    if rebuild:
        summary.append(
            f"Rebuild by `mkdocs serve` after saving one article of the real site: median {rebuild_s:.2f} s "
            f"over {len(rebuild)} edits (from the save to MkDocs' 'Reloading browsers')."
        )
    worst = max(max(r["full"], r.get("uncached", 0.0)) / r["plain"] for r in rows)
    checks = [
        ("full / plain at most 1.25 at every size, with or without the library cache", worst <= 1.25, f"worst {worst:.2f}"),
        (f"ms per document at {int(last['size'])} within 15% of {int(first['size'])}", abs(linear - 1) <= 0.15, f"{linear:.2f}"),
        (f"`folio check` under 20 s at {int(last['size'])} documents", last["check"] < 20, f"{last['check']:.1f} s"),
        ("rebuild after editing one article under 3 s", rebuild_s < 3, f"{rebuild_s:.2f} s"),
    ]
    summary += ["", "| target | met | measured |", "|---|---|---|"]
    summary += [f"| {name} | {'yes' if ok else 'no'} | {value} |" for name, ok, value in checks]
    return "\n".join(lines + summary)


PAGE = """---
title: Build performance
---

# Build performance

How long the site takes to build, measured by `make bench` (`folio bench`) on synthetic
corpora made from the real documents: the same mix of prose, citations, figures,
tables, code and math, with distinct slugs. "Full" is this site's configuration;
"plain Material" is the same theme and Markdown extensions on the same Markdown without
our plugin, citations or Markdown extensions. The ratio is what our additions cost.

Machine: {machine}.

Command: `make bench` (measured {date}).

{table}

## Where the time goes

Both configurations spend most of their time in Python-Markdown, syntax highlighting and
Material's templates. What the full build adds, and how it is kept small:

- **Search indexing.** Material's indexer parses every tag of every page. Code, math and
  the reference list are kept out of our index anyway, so the plugin sets them aside
  before the indexer runs and puts them back, byte for byte, into the finished page.
  Plain Material parses and indexes its code blocks, so this saving pays for most of
  what the rest of this list costs on large corpora.
- **Citations.** The BibTeX library is parsed only when a `.bib` file's content changes:
  the parsed library is kept in `.cache/folio/` between builds, signed with a key of the
  user's own (reading it takes a tenth of the time parsing does), and in memory while
  serving. Each reference is formatted once.
  The footnotes hold short placeholders that are swapped for the formatted HTML afterwards.
- **Math.** TeX becomes MathML once per distinct formula, in the same child process as the
  share cards (below; a thread where the system cannot fork): each page's formulas are
  converted there in build order, before the cards, so a page usually finds its MathML ready.
  A page never waits for it: if the child has not finished that page's formulas (the first
  pages, while it starts), the page converts its own.
- **Garbage collection.** What the build keeps to its end (MkDocs' files, the site model,
  the library, every document) is frozen (`gc.freeze`) before the pages render, so Python's
  collector stops walking it again and again, and unfrozen when the build ends or fails.
  Under MkDocs' command line, whose exit follows the build, what is left is frozen at exit
  too, so the interpreter does not collect what the operating system is about to free.
- **Share cards.** Each document's 1200x630 card is drawn by Pillow in a forked child
  process while the pages render, so it uses the second core instead of the build's.
- **Feed.** Each page's body is kept compressed and the feed is written entry by entry,
  so the full-content feed of a large site is never whole in memory.
- **Build rules.** The checks the build runs use a line scan of each page. The full
  Markdown parse that link checking needs runs only in `folio check`.
- **Memory.** The plugin keeps every document's text and front matter (for the collection
  indexes and the feed), each body compressed, and the parsed library for the whole build, which plain Material
  does not need. The scan of a page is released as soon as the page is done.
- **Fixed cost.** Importing our plugins, reading the library and compiling our templates
  take the same time at any size (the one-document line above). That is why the ratio, and
  milliseconds per document, are highest at the smallest size.
"""


def summarise(size: int, measured: list[list[Measurement]], check: float) -> dict[str, float]:
    """A row: full and plain, and full without the library cache where it was measured."""
    full_runs, plain_runs, *uncached_runs = measured
    row = {
        "size": size,
        "full": statistics.median(m.seconds for m in full_runs),
        "plain": statistics.median(m.seconds for m in plain_runs),
        "full_mib": max(m.peak_mib for m in full_runs),
        "plain_mib": max(m.peak_mib for m in plain_runs),
        "check": check,
    }
    if uncached_runs:
        row["uncached"] = statistics.median(m.seconds for m in uncached_runs[0])
    return row


def main(root: Path, sizes: list[int], runs: int) -> int:
    sizes = sorted({size for size in sizes if size != FIXED_COST_SIZE})  # the fixed-cost corpus is always built
    if not sizes or runs < 1:
        print(f"folio bench: give corpus sizes above {FIXED_COST_SIZE} and at least one run", file=sys.stderr)
        return 2
    folio.compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="folio-bench-") as tmp:
        configurations = []
        # A one-document corpus first: what both configurations cost before any page is built.
        for size in [FIXED_COST_SIZE, *sizes]:
            corpus = Path(tmp) / f"corpus-{size}"
            corpus.mkdir()
            make_corpus(root, corpus, size)
            load_cached(corpus)  # the library cache a previous build would have left
            if not (corpus / CACHE_FILE).is_file():
                raise SystemExit(f"folio bench: the library cache could not be written in {corpus} (is the user's cache folder writable?)")
            configurations.append([Configuration(corpus), Configuration(plain_config(corpus))])
        configurations[1].append(Configuration(configurations[1][0].folder, without_cache=True))
        builds = interleaved_builds(configurations, runs)
        checks = [statistics.median(time_check(full.folder) for _ in range(runs)) for full, *_ in configurations[1:]]
    fixed = summarise(FIXED_COST_SIZE, builds[0], float("nan"))
    rows = [summarise(size, measured, check) for size, measured, check in zip(sizes, builds[1:], checks, strict=True)]
    for row in [fixed, *rows]:
        print(f"{int(row['size'])} documents: full {row['full']:.2f} s, plain {row['plain']:.2f} s, ratio {row['full'] / row['plain']:.2f}", flush=True)
    rebuild = time_serve_rebuild(root, runs)
    table = render(rows, rebuild, runs, fixed)
    print(table)
    out = root / RESULTS_PAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(PAGE.format(machine=machine(), date=time.strftime("%Y-%m-%d"), table=table), encoding="utf-8")
    print(f"wrote {out.relative_to(root)}")
    return 0
