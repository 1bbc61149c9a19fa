"""Stage name should be lower-case.

## What it does
Reports a stage whose name (`FROM image AS Name`) has upper-case letters. This is BuildKit's
`StageNameCasing` check, reported as `docker build --check` does; BuildKit makes it while it
reads the instructions, so it is still reported above a line Docker cannot parse.

## Why is this bad?
Docker lower-cases stage names, so `COPY --from=Build` and `COPY --from=build` are the same
stage; writing them in mixed case suggests otherwise and breaks searches for the name.

## Example
```dockerfile
FROM golang:1.22 AS Build
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import BuildkitCheck, CheckPhase, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "FROM":
            continue
        words = instruction.arguments.split()
        if len(words) == 3 and words[2] != words[2].lower():
            yield RuleHit(instruction.line, f"Stage name '{words[2]}' should be lowercase")


RULE = Rule(
    code="IB001",
    severity=Severity.STYLE,
    summary="Stage name should be lower-case",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("StageNameCasing", CheckPhase.INSTRUCTIONS),
)
