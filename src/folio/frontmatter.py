"""Split a Markdown source into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

FENCE = re.compile(r"^---\s*$")
CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)\s*$")  # YAML's document end marker closes it too, as in MkDocs


@dataclass(frozen=True)
class FrontMatter:
    """The parsed front matter block of a source file."""

    meta: dict[str, Any]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    present: bool
    error: str | None = None
    error_line: int = 1

    def field_line(self, source: str, name: str) -> int:
        """The line where `name:` is set, or the first line when it is absent."""
        if not self.present:
            return 1
        pattern = re.compile(rf"^{re.escape(name)}\s*:")
        for number, line in enumerate(source.splitlines()[1 : self.body_line - 1], start=2):
            if pattern.match(line):
                return number
        return 1


# libyaml's parser when PyYAML was built with it (it is in the wheels): several times faster.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A YAML loader that rejects a key given twice instead of keeping the last value."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse(source: str) -> FrontMatter:
    """Parse the `---` delimited YAML block at the top of `source`."""
    lines = source.splitlines(keepends=True)
    if not lines or not FENCE.match(lines[0]):
        return FrontMatter({}, source, 1, present=False)
    end = next((i for i in range(1, len(lines)) if CLOSING_FENCE.match(lines[i])), None)
    if end is None:
        return FrontMatter({}, source, 1, present=True, error="front matter has no closing '---' (or '...') line")
    block = "".join(lines[1:end])
    rest = "".join(lines[end + 1 :])
    body = rest.lstrip("\n")  # as MkDocs does, so both see the same page text
    skipped = rest.count("\n", 0, len(rest) - len(body))
    try:
        meta = yaml.load(block, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatter({}, body, end + 2 + skipped, present=True, error=f"YAML error: {problem}", error_line=line)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return FrontMatter({}, body, end + 2 + skipped, present=True, error="front matter must be a YAML mapping", error_line=2)
    return FrontMatter({str(k): v for k, v in meta.items()}, body, end + 2 + skipped, present=True)
