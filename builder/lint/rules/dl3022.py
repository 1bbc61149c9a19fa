"""`COPY --from` should reference a previously defined `FROM` alias.

## What it does
Reports a `COPY --from=NAME` where NAME is neither the name nor the index of an earlier stage.
A reference that names an image (`--from=nginx:1.27`, `--from=ghcr.io/org/tool`: anything with
`:`, `/` or `@`) or is a variable (`--from=${BUILDER}`) is an external image, not a mistake, and
is not reported, unlike in hadolint.

## Why is this bad?
A name that matches no earlier stage is most likely a typo or a stage defined later; Docker then
pulls an image of that name instead, or fails.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM debian:12
COPY --from=biuld /out/app /usr/local/bin/app
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM debian:12
COPY --from=build /out/app /usr/local/bin/app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "COPY":
            continue
        source = instruction.flag("from")
        if not source or is_image_reference(source):
            continue
        before = max(instruction.stage, 0)
        if dockerfile.stage_by_reference(source, before=before) is None:
            yield RuleHit(instruction.line)


def is_image_reference(source: str) -> bool:
    """True for what can only be an image or is unknown before the build: `a:b`, `a/b`, `$X`."""
    return any(mark in source for mark in ":/@$")


RULE = Rule(
    code="DL3022",
    severity=Severity.WARNING,
    summary="`COPY --from` should reference a previously defined `FROM` alias",
    check=check,
    explanation=__doc__ or "",
)
