"""Use the -y switch to avoid manual input with yum install.

## What it does
Reports a RUN with `yum install` (or `groupinstall`, `localinstall`) without `-y` or
`--assumeyes`.

## Why is this bad?
yum asks for confirmation; a build has nobody to answer and the install aborts.

## Example
```dockerfile
RUN yum install httpd-2.4.57 && yum clean all
```

## Use instead
```dockerfile
RUN yum install -y httpd-2.4.57 && yum clean all
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
    return command.has_args("yum", "install", "groupinstall", "localinstall") and not (
        command.has_flag("y", "assumeyes")
    )


RULE = Rule(
    code="DL3030",
    severity=Severity.WARNING,
    summary="Use the -y switch to avoid manual input `yum install -y <package>`",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
