"""Use the `-y` switch to avoid manual input.

## What it does
Reports a RUN with `apt-get install` that neither answers yes (`-y`, `--yes`, `--assume-yes`)
nor runs quiet enough to imply it (`-qq`, `-q -q`, `-q=2`).

## Why is this bad?
Without a yes, `apt-get install` asks for confirmation; a build has nobody to answer and the
install aborts.

## Example
```dockerfile
RUN apt-get install curl
```

## Use instead
```dockerfile
RUN apt-get install -y curl
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_asks(command) for command in commands):
            yield RuleHit(instruction.line)


def _asks(command: SimpleCommand) -> bool:
    if not command.has_args("apt-get", "install"):
        return False
    if command.has_flag("y", "yes", "assume-yes") or command.has_arg("-q=2"):
        return False
    quiet = sum(1 for name, _ in command.flags if name in ("q", "quiet"))
    return quiet < 2


RULE = Rule(
    code="DL3014",
    severity=Severity.WARNING,
    summary="Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
