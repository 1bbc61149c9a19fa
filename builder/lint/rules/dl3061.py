"""Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.

## What it does
Reports every instruction before the first `FROM` other than `ARG` (comments and parser
directives are fine).

## Why is this bad?
Docker refuses to build such a file: only global ARGs may precede the first stage.

## Example
```dockerfile
LABEL maintainer="team@example.com"
FROM debian:12
```

## Use instead
```dockerfile
FROM debian:12
LABEL maintainer="team@example.com"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM":
            return
        if instruction.keyword != "ARG":
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3061",
    severity=Severity.ERROR,
    summary="Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
    check=check,
    explanation=__doc__ or "",
)
