"""Reading a Bake file, HCL or JSON, into blocks that know their lines.

HCL is parsed with python-hcl2: its Lark tree gives each block's and attribute's line, its
serialisation the values. A quoted string stays quoted in that serialisation and an expression
comes as `${...}` or a bare name, which is how `bake` tells a literal from what it must
evaluate. JSON files carry no expressions; their lines are found in the text.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.errors import UsageError


@dataclass(frozen=True)
class Block:
    kind: str  # target, group, variable, function
    label: str
    line: int
    attributes: Mapping[str, Any]
    lines: Mapping[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass(frozen=True)
class Literal:
    """An HCL expression kept as written (`${...}` or a bare name): evaluated by `bake`."""

    text: str


def read_bake(path: Path) -> list[Block]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read: {error}", path=path) from error
    if path.suffix == ".json":
        return _json_blocks(path, text)
    return _hcl_blocks(path, text)


def _hcl_blocks(path: Path, text: str) -> list[Block]:
    import hcl2
    from lark import Token, Tree
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = hcl2.parses_to_tree(text)
        options = hcl2.SerializationOptions(with_comments=False, explicit_blocks=False)
        data = hcl2.serialize(hcl2.transform(tree), serialization_options=options)
    except UnexpectedInput as error:
        raise UsageError("not valid HCL", path=path, line=error.line) from error
    except LarkError as error:
        raise UsageError(f"not valid HCL: {error}", path=path) from error
    positions: dict[str, list[tuple[int, dict[str, int]]]] = {}
    top = next(c for c in tree.children if isinstance(c, Tree) and c.data == "body")
    for block in (c for c in top.children if isinstance(c, Tree) and c.data == "block"):
        kind = block.children[0]
        body = next(c for c in block.children if isinstance(c, Tree) and c.data == "body")
        lines = {
            str(attribute.children[0].children[0]): attribute.meta.line
            for attribute in body.children
            if isinstance(attribute, Tree) and attribute.data == "attribute"
        }
        name = kind.children[0] if isinstance(kind, Tree) else kind
        assert isinstance(name, Token)
        positions.setdefault(str(name), []).append((block.meta.line, lines))
    blocks = []
    for kind, entries in data.items():
        if not isinstance(entries, list):
            continue
        for entry, (line, lines) in zip(entries, positions.get(kind, []), strict=False):
            for label, attributes in entry.items():
                values = {key: _hcl_value(value) for key, value in attributes.items()}
                blocks.append(Block(kind, _unquote(label), line, values, lines))
    return blocks


def _hcl_value(value: Any) -> Any:
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            return _unquote(value)
        return Literal(value)
    if isinstance(value, list):
        return [_hcl_value(item) for item in value]
    if isinstance(value, dict):
        return {_unquote(str(key)): _hcl_value(item) for key, item in value.items()}
    return value


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


_HEREDOC = re.compile(r"^<<(-?)([A-Za-z_][A-Za-z0-9_]*)\n(.*?)\n?[ \t]*\2$", re.DOTALL)


def string_text(value: str, *, json_file: bool) -> str:
    """A string attribute's text as HCL reads it: a heredoc's lines (dedented for `<<-`), a
    quoted string with its escapes read. A JSON file's strings are text already."""
    if json_file:
        return value
    heredoc = _HEREDOC.match(value)
    if heredoc is None:
        return value.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r")
    body = heredoc.group(3) + "\n" if heredoc.group(3) else ""
    return textwrap.dedent(body) if heredoc.group(1) else body


def _json_blocks(path: Path, text: str) -> list[Block]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(f"not valid JSON: {error.msg}", path=path, line=error.lineno) from error
    if not isinstance(data, dict):
        raise UsageError("not a Bake file: no target", path=path, line=1)
    blocks = []
    for kind in ("variable", "group", "target", "function"):
        entries = data.get(kind) or {}
        if not isinstance(entries, dict):
            raise UsageError(f"{kind} must be an object", path=path, line=_line(text, kind, 0))
        for label, attributes in entries.items():
            start = _offset(text, label)
            line = text.count("\n", 0, start) + 1
            attributes = attributes if isinstance(attributes, dict) else {}
            lines = {key: _line(text, key, start) for key in attributes}
            blocks.append(Block(kind, label, line, attributes, lines))
    return blocks


def _offset(text: str, key: str, start: int = 0) -> int:
    match = re.compile(rf'"{re.escape(key)}"\s*:').search(text, start)
    return match.start() if match else start


def _line(text: str, key: str, start: int) -> int:
    return text.count("\n", 0, _offset(text, key, start)) + 1
