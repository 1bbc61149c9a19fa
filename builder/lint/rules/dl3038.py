"""Use the -y switch to avoid manual input with dnf install.

## What it does
Reports a RUN with `dnf install` or `microdnf install` (or `groupinstall`, `localinstall`)
without `-y` or `--assumeyes`.

## Why is this bad?
dnf asks for confirmation; a build has nobody to answer and the install aborts.

## Example
```dockerfile
RUN dnf install httpd-2.4.57 && dnf clean all
```

## Use instead
```dockerfile
RUN dnf install -y httpd-2.4.57 && dnf clean all
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand

_SUBCOMMANDS = ("install", "groupinstall", "localinstall")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_asks(command) for command in commands):
            yield RuleHit(instruction.line)


def _asks(command: SimpleCommand) -> bool:
    installs = command.has_args("dnf", *_SUBCOMMANDS) or command.has_args("microdnf", *_SUBCOMMANDS)
    return installs and not command.has_flag("y", "assumeyes")


RULE = Rule(
    code="DL3038",
    severity=Severity.WARNING,
    summary="Use the -y switch to avoid manual input `dnf install -y <package>`",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
