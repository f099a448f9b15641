"""The `folio` command line: new, check, pdf, bench."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from folio.problems import RULES


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder with mkdocs.yml."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").exists():
            return folder
    return here


def _check(args: argparse.Namespace) -> int:
    from folio.checks import Context, check_site
    from folio.documents import Document
    from folio.report import format_problems, summary_markdown, summary_row

    if args.list_rules:
        for rule in RULES.values():
            where = "build and check" if rule.in_build else "check"
            print(f"{rule.code:8} {rule.severity:7} {rule.summary} ({where}). Fix: {rule.fix}.")
        return 0
    started = time.perf_counter()
    root = find_root()
    ctx = Context.load(root)
    only = None
    if args.paths:
        only = []
        for raw in args.paths:
            path = Path(raw).resolve()
            if not path.exists():
                print(f"{raw}: no such file", file=sys.stderr)
                return 2
            targets = sorted(path.rglob("*.md")) if path.is_dir() else [path]
            for target in targets:
                rel = target.relative_to(root).as_posix()
                only.append(ctx.site.by_site_path.get(ctx.site.model.site_path(rel)) or Document.load(root, target, ctx.site.model))
    problems = check_site(ctx, only, online=args.online)
    documents = only if only is not None else ctx.site.documents
    summary_lines = []
    executed: dict[str, int] | None = None
    if args.exec:
        from folio.execute import run_documents
        from folio.gpu import cuda_available

        if args.device == "cuda" and not cuda_available():
            print("folio check --device cuda: no CUDA GPU on this machine; run without --device to use the CPU", file=sys.stderr)
            return 2
        report = run_documents(documents, timeout=args.timeout, device=args.device)
        problems = sorted(set(problems) | set(report.problems))
        summary_lines.append(report.summary)
        executed = report.executed_by_document
    for line in format_problems(problems, args.format):
        print(line)
    if args.summary:
        rows = [summary_row(doc, problems, executed) for doc in documents if doc.doc_type is not None]
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(summary_markdown(rows, len(problems)))
    elapsed = time.perf_counter() - started
    noun = "problem" if len(problems) == 1 else "problems"
    closing = [*summary_lines, f"Checked {len(documents)} documents in {elapsed:.1f} s: {len(problems)} {noun}."]
    for line in closing:  # JSON keeps stdout to the report itself
        print(line, file=sys.stderr if args.format == "json" else sys.stdout)
    return 1 if any(RULES[p.code].severity == "error" if p.code in RULES else True for p in problems) else 0


def _new(args: argparse.Namespace) -> int:
    from folio.scaffold import ScaffoldError, create

    try:
        path = create(find_root(), args.type, args.title, series=args.series)
    except ScaffoldError as exc:
        print(f"folio new: {exc}", file=sys.stderr)
        return 1
    print(f"created {path}")
    print("Next: replace every TODO(folio) note, preview with `make serve`, then run `folio check`.")
    return 0


def _pdf(args: argparse.Namespace) -> int:
    from folio.pdf import export_all

    only = {Path(path).as_posix() for path in args.only} if args.only is not None else None
    return export_all(find_root(), Path(args.site_dir), only)


def _lighthouse(args: argparse.Namespace) -> int:
    from folio.lighthouse import main as lighthouse_main

    root = find_root()
    return lighthouse_main(root, root / args.site_dir, args.runs)


def _screenshots(args: argparse.Namespace) -> int:
    from folio.screenshots import main as screenshots_main

    root = find_root()
    return screenshots_main(root, root / args.site_dir, root / args.out)


def _bench(args: argparse.Namespace) -> int:
    from folio.bench import main as bench_main

    return bench_main(find_root(), [int(s) for s in args.sizes.split(",")], args.runs)


def _links(args: argparse.Namespace) -> int:
    from folio.documents import Site
    from folio.linkcheck import Settings, check_links

    settings = Settings(concurrency=args.concurrency, per_host_interval=args.per_host_interval, retries=args.retries)
    report = check_links(Site.load(find_root()).documents, settings)
    text = report.markdown()
    if args.report:
        Path(args.report).write_text(text, encoding="utf-8")
    print(text)
    return 1 if report.by_kind("dead") else 0


def _fonts(args: argparse.Namespace) -> int:
    from folio.fonts import main as fonts_main

    return fonts_main(find_root())


def _gpu(args: argparse.Namespace) -> int:
    from folio.gpu import main as gpu_main

    return gpu_main(find_root())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="folio", description="LLM Systems Notes: content tools.")
    commands = root.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="check documents without building the site")
    check.add_argument("paths", nargs="*", help="files or folders (default: all of docs/ and articles/)")
    check.add_argument("--exec", action="store_true", help="also run the code listings")
    check.add_argument("--online", action="store_true", help="also request external links")
    check.add_argument("--timeout", type=int, default=30, help="seconds per listing (default 30; a `# folio: gpu` listing gets at least the limit of folio gpu)")
    check.add_argument(
        "--device", choices=["cpu", "cuda"], default="cpu",
        help="with --exec: cpu runs Triton in its interpreter and skips GPU-only listings (default); "
        "cuda compiles the kernels, sets PyTorch's default device to the GPU and runs every listing",
    )
    check.add_argument(
        "--format", choices=["text", "github", "json"], default="text",
        help="text: path:line:col: CODE message (default); github: workflow annotations on the changed lines; json: a list of objects",
    )
    check.add_argument("--summary", metavar="FILE", help="append a Markdown table per document (for $GITHUB_STEP_SUMMARY)")
    check.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    check.set_defaults(func=_check)

    new = commands.add_parser("new", help="create a document from its template")
    new.add_argument("type", help="a document type declared under `folio: types:` in mkdocs.yml, e.g. article")
    new.add_argument("title")
    new.add_argument(
        "--series", metavar="ID",
        help="for a type whose documents form series: the series id; the next free part of that series, "
        "or part 1 of a new series (default: the only series, when there is one)",
    )
    new.set_defaults(func=_new)

    pdf = commands.add_parser("pdf", help="print every document of the built site to PDF")
    pdf.add_argument("--site-dir", default="site")
    pdf.add_argument("--only", nargs="*", metavar="PATH", help="only these documents (repository paths, e.g. articles/batching.md); none given: no PDF")
    pdf.set_defaults(func=_pdf)

    lighthouse = commands.add_parser("lighthouse", help="Lighthouse scores of four page types (needs `npm ci`)")
    lighthouse.add_argument("--site-dir", default="site")
    lighthouse.add_argument("--runs", type=int, default=5, help="runs per page; the table shows medians (default 5)")
    lighthouse.set_defaults(func=_lighthouse)

    shots = commands.add_parser("screenshots", help="screenshots of four page types, light and dark, desktop and mobile")
    shots.add_argument("--site-dir", default="site")
    shots.add_argument("--out", default="screenshots")
    shots.set_defaults(func=_screenshots)

    bench = commands.add_parser("bench", help="build-time benchmark against plain Material")
    bench.add_argument("--sizes", default="50,200,500")
    bench.add_argument("--runs", type=int, default=3)
    bench.set_defaults(func=_bench)

    links = commands.add_parser("links", help="request every external link: dead, failing-for-now and refused, by document and line")
    links.add_argument("--report", metavar="FILE", help="also write the Markdown report to FILE")
    links.add_argument("--concurrency", type=int, default=8, help="requests in flight at once (default 8)")
    links.add_argument("--per-host-interval", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    links.add_argument("--retries", type=int, default=3, help="tries for a timeout, 429 or 5xx (default 3)")
    links.set_defaults(func=_links)

    fonts = commands.add_parser("fonts", help="cut the math font down to the characters math on the site uses (needs npm's packages)")
    fonts.set_defaults(func=_fonts)

    gpu = commands.add_parser("gpu", help="run every GPU measurement (needs a CUDA GPU) into figures/measured/")
    gpu.set_defaults(func=_gpu)
    return root


def main(argv: list[str] | None = None) -> int:
    from folio.config import ConfigError

    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:  # the site model in mkdocs.yml is unusable: say what to fix
        print(f"folio: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
