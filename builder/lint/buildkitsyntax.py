"""How BuildKit's parser splits an instruction's arguments into words (`parser/line_parsers.go`).

The words keep their quotes and escapes: BuildKit removes them later, when it expands the
word's variables (`builder.lint.shellwords`). A form BuildKit rejects gives None or no words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from builder.dockerfile import Instruction

# Patterns, not compiled ones: `re` compiles each on first use (few files need them all).
_BLANKS = r"[\t\v\f\r ]+"
_HEREDOC_WORD = r"(\d*)<<(-?)\s*([^<]*)"


class NameValue(NamedTuple):
    name: str
    value: str
    legacy: bool  # written `NAME value` rather than `NAME=value`


def split_words(rest: str, escape: str = "\\") -> list[str]:
    """Blank-separated words; quotes group blanks into a word and stay in it (`parseWords`)."""
    if escape not in rest and "'" not in rest and '"' not in rest:
        return rest.split()  # what the scan below gives, and most arguments are so plain
    words: list[str] = []
    current: list[str] = []
    quote = ""
    blank_ok = False
    index = 0
    while index < len(rest):
        char = rest[index]
        if not quote and char.isspace():
            if blank_ok or current:
                words.append("".join(current))
            current, blank_ok = [], False
        elif char == escape and (not quote or quote == '"'):
            if index + 1 < len(rest):
                current += [char, rest[index + 1]]
            index += 1
        else:
            if not quote and char in "'\"":
                quote, blank_ok = char, True
            elif char == quote:
                quote = ""
            current.append(char)
        index += 1
    if blank_ok or current:
        words.append("".join(current))
    return words


def name_values(rest: str, escape: str = "\\") -> list[NameValue] | None:
    """ENV's and LABEL's pairs (`parseNameVal`); None where BuildKit fails on the form."""
    words = split_words(rest, escape)
    if not words:
        return []
    if "=" not in words[0]:
        parts = re.split(_BLANKS, rest.strip(), maxsplit=1)
        return [NameValue(parts[0], parts[1], legacy=True)] if len(parts) == 2 else None
    if any("=" not in word for word in words):
        return None
    pairs = [word.split("=", 1) for word in words]
    return [NameValue(name, value, legacy=False) for name, value in pairs]


def arg_pairs(rest: str, escape: str = "\\") -> list[tuple[str, str | None]]:
    """ARG's names with their defaults as written (None: no default)."""
    pairs: list[tuple[str, str | None]] = []
    for word in split_words(rest, escape):
        name, equals, default = word.partition("=")
        pairs.append((name, default if equals else None))
    return pairs


def json_words(rest: str) -> list[str] | None:
    """The strings of a JSON array (the exec form), or None when `rest` is not one."""
    text = rest.lstrip()
    if not text.startswith("["):
        return None
    import json  # only for lines in exec form

    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return value


def list_words(rest: str) -> list[str]:
    """COPY's, ADD's and VOLUME's words: a JSON array, else blank-separated."""
    words = json_words(rest)
    if words is not None:
        return words
    return [word for word in re.split(_BLANKS, rest.strip()) if word] if rest.strip() else []


class Sources(NamedTuple):
    paths: tuple[str, ...]  # the sources that are paths, URLs or git refs
    destination: str
    expanded_contents: tuple[str, ...]  # heredoc bodies BuildKit expands (unquoted markers)


def copy_sources(instruction: Instruction) -> Sources | None:
    """COPY's or ADD's sources and destination (`parseSourcesAndDest`); None without both."""
    words = list_words(instruction.arguments)
    if len(words) < 2:
        return None
    bodies = {heredoc.marker: heredoc for heredoc in instruction.heredocs}
    paths: list[str] = []
    contents: list[str] = []
    for word in words[:-1]:
        match = re.fullmatch(_HEREDOC_WORD, word)
        if match is None or not match.group(3):
            paths.append(word)
            continue
        marker = match.group(3)
        bare = marker.strip("'\"")
        heredoc = bodies.get(bare)
        if heredoc is not None and bare == marker:
            contents.append(heredoc.body)
    return Sources(tuple(paths), words[-1], tuple(contents))


def mount_values(instruction: Instruction) -> list[str]:
    """The values of RUN's `--mount=` options (`type=cache,target=$DIR` -> cache, $DIR)."""
    values: list[str] = []
    for value in instruction.flag_values("mount"):
        for field in value.split(","):
            _, equals, option = field.partition("=")
            if equals:
                values.append(option)
    return values


def go_quoted(text: str) -> str:
    """`text` in double quotes as Go's `%q` writes it in BuildKit's messages."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(_GO_ESCAPES.get(char, char) for char in escaped) + '"'


_GO_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
