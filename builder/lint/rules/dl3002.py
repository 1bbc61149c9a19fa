"""Last USER should not be root

## What it does
Reports the last `USER` of a stage when it switches to root (`root`, `0`, `root:...`,
`0:...`). A stage that switches back to another user afterwards is fine.

## Why is this bad?
A container that runs as root gives whoever breaks into the process root inside the container,
and a much shorter path out of it. Switch to root for the steps that need it, then back.

## Example
```dockerfile
FROM debian:12
USER root
RUN apt-get update
```

## Use instead
```dockerfile
FROM debian:12
USER root
RUN apt-get update
USER app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def is_root(user: str) -> bool:
    return user in ("root", "0") or user.startswith(("root:", "0:"))


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for stage in dockerfile.stages:
        users = [i for i in stage.instructions if i.keyword == "USER"]
        if users and is_root(users[-1].arguments.strip()):
            yield RuleHit(users[-1].line)


RULE = Rule(
    code="DL3002",
    severity=Severity.WARNING,
    summary="Last USER should not be root",
    check=check,
    explanation=__doc__ or "",
)
