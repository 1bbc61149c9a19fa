"""`FROM --platform=$TARGETPLATFORM` is redundant: it is the default.

## What it does
Reports `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).
IB021 reports the same ground as BuildKit's `RedundantTargetPlatform` does (variables expanded):
ignore one of the two to avoid a double report (see the README's lint section).

## Why is this bad?
A stage is built for the target platform unless told otherwise; the flag adds noise and hides
the stages where `--platform` matters (`$BUILDPLATFORM` for cross-compilation).

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM" and instruction.flag("platform") in (
            "$TARGETPLATFORM",
            "${TARGETPLATFORM}",
        ):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3065",
    severity=Severity.WARNING,
    summary=(
        "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is "
        "the default behavior"
    ),
    check=check,
    explanation=__doc__ or "",
)
