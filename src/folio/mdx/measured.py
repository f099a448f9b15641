"""Measured results on the page: a `<!-- folio:measured SOURCE -->` line becomes the output that
SOURCE produced on a GPU, from the repository's results files, with its provenance.

SOURCE is a script in figures/src/gpu/ (optionally `table=N` for one of its tables) or `listing`
for the `# folio: gpu` listing right above. Only a result produced by the source as it is now is
shown; otherwise the page says the measurement is out of date, and rule GPU001 of `folio check`
(run by the build too) fails with the file, the line and the command that refreshes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from folio import measured


class MeasuredPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, root: Path) -> None:
        super().__init__(md)
        self.root = root
        self._measurements: measured.Measurements | None = None

    def measurements(self) -> measured.Measurements:
        if self._measurements is None:  # read once per Markdown instance, that is once per build
            self._measurements = measured.Measurements.load(self.root)
        return self._measurements

    def run(self, lines: list[str]) -> list[str]:
        if not any("folio:measured" in line for line in lines):
            return lines
        blocks = measured.fenced_blocks(lines)
        markers = {m.line: m for m in measured.find_markers(lines, blocks)}
        out: list[str] = []
        for number, line in enumerate(lines, start=1):
            marker = markers.get(number)
            if marker is None:
                out.append(line)
                continue
            result, message = measured.resolve(marker, blocks, self.root, self.measurements())
            if result is None:
                out += [f"**Measurement out of date:** {message}", "{: .folio-measured .folio-measured--stale }", ""]
            else:
                out += measured.render(marker, result)
        return out


class MeasuredExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config: dict[str, list[Any]] = {
            "root": [".", "the repository root, which holds figures/measured/ and figures/src/gpu/ (default: the working directory)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After whitespace normalisation (30), before fenced code is stashed (25): the listing
        # above a marker must still be visible as text.
        md.preprocessors.register(MeasuredPreprocessor(md, Path(self.getConfig("root")).resolve()), "folio_measured", 28)


def makeExtension(**kwargs: Any) -> MeasuredExtension:
    return MeasuredExtension(**kwargs)
