"""Avoid additional packages by specifying `--no-install-recommends`.

## What it does
Reports a RUN with `apt-get install` that installs recommended packages too, that is without
`--no-install-recommends` or `-o APT::Install-Recommends=false`. `--fix` adds
`--no-install-recommends` after `install`.

## Why is this bad?
Recommended packages are not needed to run what you install; they make the image bigger and
give it more to patch.

## Example
```dockerfile
RUN apt-get update && apt-get install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import Edit, LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand

_FLAG = "--no-install-recommends"
# `apt-get [options] install`, options possibly on continued lines
# Patterns, not compiled ones: `re` compiles each on first use (most files never need it).
_INSTALL = (
    r"\bapt-get(?P<options>(?:[ \t]+(?:\\\r?\n[ \t]*)?(?:-o[ \t]+\S+|-\S+))*)"
    r"[ \t]+(?:\\\r?\n[ \t]*)?install\b(?![-\w])"
)
_SEPARATOR = r"&&|\|\||;|\||(?<!\\)\n"


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_installs_recommends(command) for command in commands):
            yield RuleHit(instruction.line, fix=_fix(instruction))


def _installs_recommends(command: SimpleCommand) -> bool:
    return command.has_args("apt-get", "install") and not (
        command.has_flag("no-install-recommends")
        or command.has_arg("APT::Install-Recommends=false")
    )


def _fix(instruction: Instruction) -> Edit | None:
    """Add the flag after each `apt-get install` that lacks it, in the original text."""
    text = instruction.text
    pieces: list[str] = []
    cursor = 0
    for match in re.finditer(_INSTALL, text):
        following = re.compile(_SEPARATOR).search(text, match.end())
        command_end = following.start() if following else len(text)
        command = text[match.start() : command_end]
        if _FLAG in command or "APT::Install-Recommends=false" in command:
            continue
        pieces.append(text[cursor : match.end()] + " " + _FLAG)
        cursor = match.end()
    if not pieces:
        return None
    return Edit(instruction.line, instruction.end_line, "".join(pieces) + text[cursor:])


RULE = Rule(
    code="DL3015",
    severity=Severity.INFO,
    summary="Avoid additional packages by specifying `--no-install-recommends`",
    check=check,
    explanation=__doc__ or "",
    fixable=True,
    applies_in_onbuild=True,
)
