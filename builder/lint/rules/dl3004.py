"""Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root

## What it does
Reports a `RUN` (or `ONBUILD RUN`) that runs `sudo`. Installing the sudo package is fine.

## Why is this bad?
Build steps already run as the current `USER`; sudo adds a TTY and signal handling layer with
surprising behaviour, and needs a sudoers set-up in the image. Switch users with `USER`, or drop
privileges at run time with a tool made for it (gosu, su-exec).

## Example
```dockerfile
USER app
RUN sudo apt-get update
```

## Use instead
```dockerfile
USER root
RUN apt-get update
USER app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(command.program == "sudo" for command in commands):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3004",
    severity=Severity.ERROR,
    summary="Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to "
    "enforce root",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
