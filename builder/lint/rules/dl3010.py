"""Use `ADD` for extracting archives into an image

## What it does
Reports a `COPY` of a local archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, ...) that a later
`RUN` of the same stage extracts (`tar -x`, `unzip`, `gunzip`, ...). `COPY --from` is left alone.

## Why is this bad?
The copied archive stays in its own layer even after it is extracted and deleted. `ADD` of a
local tar archive extracts it in one step, with no copy of the archive left in the image.

## Example
```dockerfile
COPY app.tar.gz /opt/
RUN tar -xzf /opt/app.tar.gz -C /opt && rm /opt/app.tar.gz
```

## Use instead
```dockerfile
ADD app.tar.gz /opt/
```
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.runscript import exec_form
from builder.lint.shell import SimpleCommand

ARCHIVE_SUFFIXES = (
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
)  # fmt: skip
_UNPACKERS = frozenset(
    {"unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat"}
)


def basename(path: str) -> str:
    path = path.strip("\"'")
    return path[max(path.rfind("/"), path.rfind("\\")) + 1 :]


def copied_archives(instruction: Instruction) -> set[str]:
    """Base names of the archives a COPY brings in (the destination's, if it is one)."""
    words = exec_form(instruction.arguments)
    if words is None:
        # Backslashes stay literal: Windows paths are common in COPY.
        lexer = shlex.shlex(instruction.arguments, posix=True)
        lexer.whitespace_split = True
        lexer.escape = ""
        try:
            words = list(lexer)
        except ValueError:
            words = instruction.arguments.split()
    if len(words) < 2:
        return set()
    *sources, destination = words
    if destination.strip("\"'").endswith(ARCHIVE_SUFFIXES):
        return {basename(destination)}
    return {basename(s) for s in sources if s.strip("\"'").endswith(ARCHIVE_SUFFIXES)}


def extracts(command: SimpleCommand) -> bool:
    if command.program in _UNPACKERS:
        return True
    return command.program == "tar" and any(
        arg in ("--extract", "--get") or (arg.startswith("-") and "x" in arg)
        for arg in command.args
    )


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    commands_of = {instruction.line: commands for instruction, commands in runs(dockerfile)}
    archives: list[tuple[int, str]] = []
    reported: set[int] = set()
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM":
            archives = []
        elif instruction.keyword == "COPY" and instruction.flag("from") is None:
            archives.extend((instruction.line, name) for name in copied_archives(instruction))
        elif instruction.keyword == "RUN":
            for command in commands_of.get(instruction.line, ()):
                if not extracts(command):
                    continue
                names = {basename(arg) for arg in command.args_no_flags()}
                reported.update(line for line, name in archives if name in names)
    yield from (RuleHit(line) for line in sorted(reported))


RULE = Rule(
    code="DL3010",
    severity=Severity.INFO,
    summary="Use `ADD` for extracting archives into an image",
    check=check,
    explanation=__doc__ or "",
)
