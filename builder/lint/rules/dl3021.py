"""COPY with more than 2 arguments requires the last argument to end with /.

## What it does
Reports a COPY of several sources whose destination does not end with `/`.

## Why is this bad?
Docker copies several sources only into a directory, and it requires the destination to say
so with a trailing `/`; otherwise the build fails.

## Example
```dockerfile
COPY package.json package-lock.json /app
```

## Use instead
```dockerfile
COPY package.json package-lock.json /app/
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.paths import sources_and_destination


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "COPY" or instruction.heredocs:
            continue
        sources, destination = sources_and_destination(instruction)
        if len(sources) > 1 and not destination.endswith("/"):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3021",
    severity=Severity.ERROR,
    summary="COPY with more than 2 arguments requires the last argument to end with /",
    check=check,
    explanation=__doc__ or "",
)
