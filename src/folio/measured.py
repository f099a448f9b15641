"""Results measured on GPUs: the files, their schema, lookup by source hash, and rendering.

`folio gpu` runs every GPU measuring script (figures/src/gpu/*.py) and every listing marked
`# folio: gpu` on a CUDA machine and writes one results file per device and date to
figures/measured/<device>-<date>.json. A page shows a result with a marker line:

    <!-- folio:measured figures/src/gpu/decode_step.py -->          every table the script printed
    <!-- folio:measured figures/src/gpu/decode_step.py table=1 -->  its first table only
    <!-- folio:measured listing -->                                 the GPU listing just above

Each result keeps the SHA-256 of the source that produced it. A marker is current only while a
result exists whose hash matches the source as it is now, so a changed script or listing cannot
keep showing an old number: rule GPU001 fails the check and the build until it is re-measured.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from folio import scan

RESULTS_DIR = "figures/measured"
SCRIPTS_DIR = "figures/src/gpu"
SCHEMA_VERSION = 1
MARKER = re.compile(r"^<!--\s*folio:measured\s+(\S+)(?:\s+table=(\d+))?(?:\s+as-of=([0-9a-f]{7,40}))?\s*-->\s*$")
MALFORMED = "\0malformed"  # the source of a line that mentions folio:measured but does not parse
# A script that measures code on the site's pages names them, and their listings join its hash:
#   # folio: measures docs/series/triton-gpu-programming.md
MEASURES = re.compile(r"^#\s*folio:\s*measures\s+(.+)$", re.M)
REFRESH = "on a CUDA machine run `make gpu` (or `folio gpu`) and commit figures/measured/"
PROVENANCE_FIELDS = ("device", "driver", "cuda", "torch", "triton", "power_limit_w", "max_sm_clock_mhz", "date", "git_commit")
RESULT_FIELDS = ("id", "kind", "what", "source_sha256", "output")
TABLE_HEADING = re.compile(r"^### (.+)$", re.M)


def source_hash(text: str) -> str:
    """The hash that ties a result to the exact source that produced it (line endings normalised)."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def script_hash(root: Path, script: str, read: Callable[[str], str] | None = None) -> str:
    """The hash of a measuring script together with the Python listings of the pages it measures.

    `read` returns a file's text by repository path (the working tree by default); a different
    reader gives the hash the same script had against another version of those pages."""
    read = read or (lambda rel: (root / rel).read_text(encoding="utf-8"))
    text = read(script)
    parts = [text]
    for page in (path for line in MEASURES.findall(text) for path in line.split()):
        lines = read(page).split("\n")
        parts += [b.code for b in fenced_blocks(lines) if b.lang in scan.PYTHON_LANGS]
    return source_hash("\n".join(parts))


def listing_id(page: str, ordinal: int) -> str:
    return f"{page}#gpu-listing-{ordinal}"


@dataclass(frozen=True)
class Result:
    """One measured output, with the run it came from."""

    id: str
    kind: str  # "script" or "listing"
    what: str
    source_sha256: str
    output: str
    provenance: dict[str, str]
    file: str  # the results file, relative to the repository root
    note: str = ""

    def tables(self) -> list[str]:
        """The Markdown tables of a script's output, each with its notes, without its heading."""
        parts = TABLE_HEADING.split(self.output)
        return [parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)] if len(parts) > 1 else [self.output.strip()]

    def provenance_line(self) -> str:
        p = self.provenance
        versions = ", ".join(f"{label} {p[key]}" for key, label in (("driver", "driver"), ("cuda", "CUDA"), ("torch", "PyTorch"), ("triton", "Triton")) if p.get(key))
        limit = f", power limit {p['power_limit_w']} W" if p.get("power_limit_w") else ""
        return f"Measured on {p.get('device', 'an unknown GPU')} ({versions}{limit}) on {p.get('date', 'an unknown date')}."


def validate(data: Any) -> list[str]:
    """Every way a results file departs from the schema; empty when it is valid."""
    if not isinstance(data, dict):
        return ["the file must hold a JSON object"]
    errors = []
    if data.get("schema") != SCHEMA_VERSION:
        errors.append(f"schema: expected {SCHEMA_VERSION}, got {data.get('schema')!r}")
    provenance = data.get("provenance")
    if not isinstance(provenance, dict):
        return [*errors, "provenance: expected an object with " + ", ".join(PROVENANCE_FIELDS)]
    errors += [f"provenance.{name}: missing" for name in PROVENANCE_FIELDS if not str(provenance.get(name, "")).strip()]
    results = data.get("results")
    if not isinstance(results, list) or not results:
        return [*errors, "results: expected a non-empty list"]
    for number, result in enumerate(results, start=1):
        if not isinstance(result, dict):
            errors.append(f"results[{number}]: expected an object")
            continue
        errors += [f"results[{number}].{name}: missing" for name in RESULT_FIELDS if not isinstance(result.get(name), str) or not result[name].strip()]
        if result.get("kind") not in ("script", "listing"):
            errors.append(f"results[{number}].kind: expected 'script' or 'listing', got {result.get('kind')!r}")
        if not re.fullmatch(r"[0-9a-f]{64}", str(result.get("source_sha256", ""))):
            errors.append(f"results[{number}].source_sha256: expected 64 hex digits")
    return errors


@dataclass
class Measurements:
    """Every result in the repository's results files, newest file last."""

    results: list[Result]
    errors: list[tuple[str, str]]  # (file, message)

    @classmethod
    def load(cls, root: Path) -> Measurements:
        results: list[Result] = []
        errors: list[tuple[str, str]] = []
        folder = root / RESULTS_DIR
        files = sorted(folder.glob("*.json"), key=lambda p: (_date_of(p), p.name)) if folder.is_dir() else []
        for path in files:
            rel = path.relative_to(root).as_posix()
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                errors.append((rel, f"not readable JSON: {exc}"))
                continue
            problems = validate(data)
            errors += [(rel, message) for message in problems]
            if problems:
                continue
            provenance = {k: str(v) for k, v in data["provenance"].items()}
            for item in data["results"]:
                results.append(Result(item["id"], item["kind"], item["what"], item["source_sha256"], item["output"], provenance, rel, str(item.get("note", ""))))
        return cls(results, errors)

    def current(self, ident: str, sha256: str) -> Result | None:
        """The newest result for `ident` produced by the source with this hash."""
        matches = [r for r in self.results if r.id == ident and r.source_sha256 == sha256]
        return matches[-1] if matches else None

    def as_of(self, ident: str, commit: str) -> Result | None:
        matches = [r for r in self.results if r.id == ident and r.provenance.get("git_commit", "").startswith(commit)]
        return matches[-1] if matches else None

    def listing(self, sha256: str) -> Result | None:
        """The newest result of a GPU listing whose code has this hash, wherever the listing sits."""
        matches = [r for r in self.results if r.kind == "listing" and r.source_sha256 == sha256]
        return matches[-1] if matches else None

    def any_for(self, ident: str) -> Result | None:
        matches = [r for r in self.results if r.id == ident]
        return matches[-1] if matches else None


def _date_of(path: Path) -> str:
    match = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Marker:
    line: int  # 1-based line of the marker in the text
    source: str  # a script path, or "listing"
    table: int | None
    as_of: str | None = None  # a git commit: show the result measured there, labelled as earlier


@dataclass(frozen=True)
class Fenced:
    open: int  # 1-based lines of the opening and closing fences
    close: int
    lang: str
    code: str

    @property
    def gpu_listing(self) -> bool:
        first = self.code.lstrip().splitlines()[:1]
        return self.lang in scan.PYTHON_LANGS and bool(first) and bool(scan.GPU_MARKER.match(first[0]))




def fenced_blocks(lines: list[str]) -> list[Fenced]:
    """The fenced code blocks of a Markdown text, in order, as the page scanner finds them."""
    blocks = []
    for first, last, info in scan.fenced_blocks(lines):
        fence = scan.FENCE_OPEN.match(lines[first]).group("fence")  # type: ignore[union-attr]
        closed = last > first and lines[last].strip().startswith(fence)
        code = "\n".join(lines[first + 1 : last if closed else last + 1]) + "\n"
        blocks.append(Fenced(first + 1, last + 1, (info.split() or [""])[0], code))
    return blocks


def find_markers(lines: list[str], blocks: list[Fenced]) -> list[Marker]:
    """Marker lines outside code blocks."""
    inside = {n for b in blocks for n in range(b.open, b.close + 1)}
    markers = []
    for number, line in enumerate(lines, start=1):
        if number in inside or "folio:measured" not in line:
            continue
        match = MARKER.match(line.strip())
        if match:
            markers.append(Marker(number, match.group(1), int(match.group(2)) if match.group(2) else None, match.group(3)))
        else:
            markers.append(Marker(number, MALFORMED, None))
    return markers


def listing_above(blocks: list[Fenced], marker_line: int) -> Fenced | None:
    """The code block that ends closest above the marker, if it is a `# folio: gpu` listing."""
    above = [b for b in blocks if b.close < marker_line]
    return above[-1] if above and above[-1].gpu_listing else None


def gpu_listings(blocks: list[Fenced]) -> list[Fenced]:
    return [b for b in blocks if b.gpu_listing]


def resolve(marker: Marker, blocks: list[Fenced], root: Path, measurements: Measurements) -> tuple[Result | None, str]:
    """The current result for a marker, or None and a message that says what to do."""
    if marker.source == MALFORMED:
        return None, "malformed marker; write <!-- folio:measured figures/src/gpu/NAME.py [table=N] [as-of=COMMIT] --> or <!-- folio:measured listing -->"
    if marker.source == "listing":
        listing = listing_above(blocks, marker.line)
        if listing is None:
            return None, "'folio:measured listing' must come right after a Python listing whose first line is '# folio: gpu'"
        result = measurements.listing(source_hash(listing.code))
        if result is None:
            return None, f"no result was measured from the listing above as it is now (changed, or never run); {REFRESH}"
        return result, ""
    script = root / marker.source
    if not marker.source.startswith(SCRIPTS_DIR + "/") or not script.is_file():
        return None, f"no GPU measuring script {marker.source}; name a file in {SCRIPTS_DIR}/"
    if marker.as_of is not None:
        result = measurements.as_of(marker.source, marker.as_of)
        if result is None:
            return None, f"no result of {marker.source} was measured at commit {marker.as_of}"
    else:
        result = measurements.current(marker.source, script_hash(root, marker.source))
    if result is None:
        old = measurements.any_for(marker.source)
        why = f"{marker.source} changed since it was measured ({old.file})" if old else f"{marker.source} has never been measured"
        return None, f"{why}; {REFRESH}"
    if marker.table is not None and not 1 <= marker.table <= len(result.tables()):
        return None, f"table={marker.table}, but {marker.source} printed {len(result.tables())} table(s)"
    return result, ""


def render(marker: Marker, result: Result) -> list[str]:
    """Markdown for a marker: a provenance paragraph, then the measured output. A table marker
    ends with its table, so a `/// table-caption` written right after the marker attaches to it."""
    source = "the listing above" if result.kind == "listing" else f"`{result.id}`"
    provenance = f"{result.provenance_line()} Produced by {source}; raw data: [{Path(result.file).name}](/{result.file})."
    if marker.as_of:
        provenance += f" These numbers describe the code as of commit {marker.as_of}; it has changed since, and they stand until `make gpu` measures it again."
    if result.note and (marker.table or 1) == 1:  # the note once per script, not under each of its tables
        provenance += f" {result.note}"
    lines = [provenance, "{: .folio-measured }", ""]
    if result.kind == "listing":
        return [*lines, "```text", *result.output.rstrip("\n").splitlines(), "```", ""]
    tables = result.tables()
    if marker.table is None:
        for table in tables:
            lines += [*table.splitlines(), ""]
        return lines
    chunk = tables[marker.table - 1].splitlines()
    rows = [line for line in chunk if line.startswith("|")]
    notes = [line for line in chunk if line.strip() and not line.startswith("|")]
    return [*lines, *([*notes, ""] if notes else []), *rows]
