"""Using latest is prone to errors if the image will ever update. Pin the version explicitly to
a release tag

## What it does
Reports a `FROM` image tagged `latest` without a digest, ARG defaults substituted
(`ARG TAG=latest` then `FROM debian:${TAG}` is caught too).

## Why is this bad?
`latest` moves: the same Dockerfile builds a different image from one day to the next, and a
new upstream release can break the build or the service with no change here.

## Example
```dockerfile
FROM debian:latest
```

## Use instead
```dockerfile
FROM debian:12.5
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.images import stage_image
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for stage in dockerfile.stages:
        image = stage_image(dockerfile, stage)
        if image.tag == "latest" and image.digest is None:
            yield RuleHit(stage.line)


RULE = Rule(
    code="DL3007",
    severity=Severity.WARNING,
    summary="Using latest is prone to errors if the image will ever update. Pin the version "
    "explicitly to a release tag",
    check=check,
    explanation=__doc__ or "",
)
