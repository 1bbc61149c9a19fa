"""Non-interactive switch missing from `zypper` command.

## What it does
Reports a RUN with `zypper install` (or `in`, `remove`, `rm`, `source-install`, `si`, `patch`)
without `-n`/`--non-interactive` or `-y`/`--no-confirm`.

## Why is this bad?
zypper asks for confirmation; a build has nobody to answer and the command aborts.

## Example
```dockerfile
RUN zypper install httpd=2.4.58 && zypper clean
```

## Use instead
```dockerfile
RUN zypper install -y httpd=2.4.58 && zypper clean
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand

_SUBCOMMANDS = ("install", "in", "remove", "rm", "source-install", "si", "patch")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_asks(command) for command in commands):
            yield RuleHit(instruction.line)


def _asks(command: SimpleCommand) -> bool:
    return command.has_args("zypper", *_SUBCOMMANDS) and not command.has_flag(
        "n", "non-interactive", "y", "no-confirm"
    )


RULE = Rule(
    code="DL3034",
    severity=Severity.WARNING,
    summary="Non-interactive switch missing from `zypper` command: `zypper install -y`",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
