"""Use the `--no-cache` switch with apk add.

## What it does
Reports a RUN with `apk add` that keeps apk's package cache in the image: no `--no-cache`, and no
BuildKit cache or tmpfs mount on `/var/cache/apk` (`RUN --mount=type=cache,target=/var/cache/apk`).

## Why is this bad?
The downloaded index and packages stay in the layer and make the image bigger for nothing.
`--no-cache` also makes `--update` and removing `/var/cache/apk/*` unnecessary.

## Example
```dockerfile
RUN apk add --update curl=8.9.1-r0
```

## Use instead
```dockerfile
RUN apk add --no-cache curl=8.9.1-r0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import mounts_cache_at, runs


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if mounts_cache_at(instruction, "/var/cache/apk"):
            continue
        if any(c.has_args("apk", "add") and not c.has_flag("no-cache") for c in commands):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3019",
    severity=Severity.INFO,
    summary=(
        "Use the `--no-cache` switch to avoid the need to use `--update` and remove "
        "`/var/cache/apk/*` when done installing packages"
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
