"""Do not use `zypper dist-upgrade`.

## What it does
Reports a RUN with `zypper dist-upgrade` (or `zypper dup`).

## Why is this bad?
A distribution upgrade inside an image build replaces the base image's packages with whatever
is current, so the result depends on the day of the build. Use a newer base image instead.

## Example
```dockerfile
RUN zypper dist-upgrade -y
```

## Use instead
```dockerfile
FROM opensuse/leap:15.6
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(command.has_args("zypper", "dist-upgrade", "dup") for command in commands):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3035",
    severity=Severity.WARNING,
    summary="Do not use `zypper dist-upgrade`.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
