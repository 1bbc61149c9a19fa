"""Ignore pragmas in Dockerfile comments, with hadolint's grammar and reach.

    # hadolint ignore=DL3006,DL3008      (or `# imgbuild ignore=...`) the next instruction
    # hadolint stage ignore=DL3006       the rest of the stage (undocumented in hadolint)
    # hadolint global ignore=DL3006      the whole file

A list with anything but codes in it (`ignore=crazy,DL3002`) is not a pragma at all, as in
hadolint. Our one extension: a line pragma reaches over other comment lines, so hadolint and
imgbuild pragmas can be stacked above one instruction. Pragmas are applied to findings after the
rules run; no rule sees them.
"""

from __future__ import annotations

import bisect
import re
from enum import Enum
from typing import NamedTuple

from builder.dockerfile import Dockerfile

# A pattern, not a compiled one: `re` compiles it on first use (many files have no comment).
_PRAGMA = (
    r"^[ \t]*(?:hadolint|imgbuild)[ \t]+(?:(?P<scope>global|stage)[ \t]+)?ignore[ \t]*=[ \t]*"
    r"(?P<codes>[A-Z0-9]+(?:[ \t]*,[ \t]*[A-Z0-9]+)*)[ \t]*(?:#.*)?$"
)


class Scope(Enum):
    LINE = "line"
    STAGE = "stage"
    GLOBAL = "global"


class Pragma(NamedTuple):  # NamedTuples: cheaper to define at every lint's start
    scope: Scope
    codes: frozenset[str]


def parse_pragma(comment: str) -> Pragma | None:
    """The ignore pragma in a comment's text (without the '#'), if it is one."""
    match = re.match(_PRAGMA, comment)
    if match is None:
        return None
    codes = frozenset(code.strip() for code in match.group("codes").split(","))
    return Pragma(Scope(match.group("scope") or "line"), codes)


class Pragmas(NamedTuple):
    """Which codes the file's pragmas silence, and where."""

    # (first line, last line, codes) of each instruction a line pragma stands above
    lines: tuple[tuple[int, int, frozenset[str]], ...] = ()
    # (key line, codes) sorted by line; a FROM without a pragma above ends the previous one
    stages: tuple[tuple[int, frozenset[str]], ...] = ()
    everywhere: frozenset[str] = frozenset()

    def suppresses(self, code: str, line: int) -> bool:
        if code in self.everywhere:
            return True
        if any(first <= line <= last and code in codes for first, last, codes in self.lines):
            return True
        keys = [key for key, _ in self.stages]
        position = bisect.bisect_left(keys, line) - 1
        return position >= 0 and code in self.stages[position][1]


def read_pragmas(dockerfile: Dockerfile) -> Pragmas:
    comment_lines = {comment.line for comment in dockerfile.comments}
    starts = {instruction.line: instruction.end_line for instruction in dockerfile.instructions}
    lines: list[tuple[int, int, frozenset[str]]] = []
    stages: dict[int, frozenset[str]] = {}
    everywhere: set[str] = set()
    for comment in dockerfile.comments:
        pragma = parse_pragma(comment.text)
        if pragma is None:
            continue
        if pragma.scope is Scope.GLOBAL:
            everywhere |= pragma.codes
        elif pragma.scope is Scope.STAGE:
            stages[comment.line + 1] = pragma.codes
        else:
            target = comment.line + 1
            while target in comment_lines:
                target += 1
            lines.append((target, starts.get(target, target), pragma.codes))
    for stage in dockerfile.stages:
        stages.setdefault(stage.line, frozenset())
    return Pragmas(
        lines=tuple(lines),
        stages=tuple(sorted(stages.items())),
        everywhere=frozenset(everywhere),
    )
