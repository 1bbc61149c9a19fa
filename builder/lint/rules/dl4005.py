"""Use SHELL to change the default shell

## What it does
Reports a `RUN` that uses `ln` on `/bin/sh` (typically `ln -sf /bin/bash /bin/sh`).

## Why is this bad?
Replacing `/bin/sh` changes the shell of every later RUN, of the base image's own scripts and
of anything that runs `sh` in the container. `SHELL` changes it for the Dockerfile only, and
says so.

## Example
```dockerfile
RUN ln -sf /bin/bash /bin/sh
```

## Use instead
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(command.has_args("ln", "/bin/sh") for command in commands):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL4005",
    severity=Severity.WARNING,
    summary="Use SHELL to change the default shell",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
