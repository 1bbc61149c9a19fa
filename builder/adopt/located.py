"""YAML read with the line of every mapping key, for notes and errors that name their line.

Merge keys (`<<: *defaults`) and aliases are resolved as YAML loaders do; a value merged from an
anchor keeps the line where it is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from builder.errors import UsageError


class Located(dict[Any, Any]):
    """A mapping that knows its own line and the line of each of its keys (1-based)."""

    def __init__(self) -> None:
        super().__init__()
        self.line = 1
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[Located]:
    data = Located()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        data[key] = loader.construct_object(value_node, deep=True)
        data.lines[key] = key_node.start_mark.line + 1


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)


def load_yaml(path: Path) -> Any:
    """The document of `path`; a syntax error is one line with the file and line, exit 2."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read: {error}", path=path) from error
    try:
        return yaml.load(text, Loader=_Loader)  # a SafeLoader: builds no arbitrary objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise UsageError(
            f"not valid YAML: {error.problem}",
            path=path,
            line=mark.line + 1 if mark is not None else None,
        ) from error
    except yaml.YAMLError as error:
        raise UsageError(f"not valid YAML: {error}", path=path) from error
