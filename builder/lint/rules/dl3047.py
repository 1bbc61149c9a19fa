"""Avoid use of wget without progress bar.

## What it does
Reports a RUN with `wget` that prints its default progress bar: none of `--progress=...`,
`-q`/`--quiet`, `-nv`/`--no-verbose`, or a log file (`-o`/`--output-file`, `-a`/`--append-output`).

## Why is this bad?
The default bar redraws for every few kilobytes and floods the build log with thousands of
lines for a large download.

## Example
```dockerfile
RUN wget https://example.com/tool.tar.gz
```

## Use instead
```dockerfile
RUN wget --progress=dot:giga https://example.com/tool.tar.gz
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand

_QUIET_FLAGS = ("progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_shows_progress(command) for command in commands):
            yield RuleHit(instruction.line)


def _shows_progress(command: SimpleCommand) -> bool:
    return (
        command.program == "wget"
        and not command.has_flag(*_QUIET_FLAGS)
        and not command.has_arg("-nv")
    )


RULE = Rule(
    code="DL3047",
    severity=Severity.INFO,
    summary=(
        "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or "
        "consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`)."
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
