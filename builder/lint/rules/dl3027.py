"""Do not use apt as it is meant to be an end-user tool.

## What it does
Reports a RUN that calls `apt` rather than `apt-get` or `apt-cache`.

## Why is this bad?
`apt` is made for people at a terminal: its output and behaviour may change between releases
and it warns that it has no stable command-line interface for scripts.

## Example
```dockerfile
RUN apt update && apt install -y curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(command.program == "apt" for command in commands):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3027",
    severity=Severity.WARNING,
    summary=(
        "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead"
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
