"""Use WORKDIR to switch to a directory

## What it does
Reports a `RUN` that runs `cd`, heredoc scripts included.

## Why is this bad?
`cd` lasts only until the end of its `RUN`; the next instruction starts again in the WORKDIR.
Scripts written as if it lasted break in confusing ways, and `WORKDIR` documents where things
happen.

## Example
```dockerfile
RUN cd /usr/src/app && make
```

## Use instead
```dockerfile
WORKDIR /usr/src/app
RUN make
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(command.program == "cd" for command in commands):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3003",
    severity=Severity.WARNING,
    summary="Use WORKDIR to switch to a directory",
    check=check,
    explanation=__doc__ or "",
)
