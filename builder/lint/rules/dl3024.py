"""FROM aliases (stage names) must be unique.

## What it does
Reports a `FROM ... AS NAME` whose NAME an earlier stage already has.
IB015 reports the same ground as BuildKit's `DuplicateStageName` does (names in any case):
ignore one of the two to avoid a double report (see the README's lint section).

## Why is this bad?
Docker rejects a Dockerfile with two stages of one name, and a reader cannot tell which one a
`COPY --from=NAME` means.

## Example
```dockerfile
FROM golang:1.22 AS build
FROM node:20 AS build
```

## Use instead
```dockerfile
FROM golang:1.22 AS build-api
FROM node:20 AS build-ui
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    seen: set[str] = set()
    for stage in dockerfile.stages:
        if stage.name is None:
            continue
        if stage.name in seen:
            yield RuleHit(stage.line)
        seen.add(stage.name)


RULE = Rule(
    code="DL3024",
    severity=Severity.ERROR,
    summary="FROM aliases (stage names) must be unique",
    check=check,
    explanation=__doc__ or "",
)
