"""Always tag the version of an image explicitly

## What it does
Reports a `FROM` image without a tag or digest. `scratch`, earlier stages (`FROM build`) and
images named through ARGs without a default are left alone. ARG defaults are substituted first,
so `ARG BASE=debian:12` then `FROM ${BASE}` is tagged (hadolint cannot see that), while
`ARG BASE=debian` then `FROM ${BASE}` is not.

## Why is this bad?
An untagged image means `latest`, whatever that is on the day of the build: builds stop being
reproducible, and an upstream release can break them without any change here.

## Example
```dockerfile
FROM debian
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
        if image.unresolved or image.tag is not None or image.digest is not None:
            continue
        if image.name.lower() == "scratch" or not image.name:
            continue
        if dockerfile.stage_by_reference(image.name, before=stage.index) is None:
            yield RuleHit(stage.line)


RULE = Rule(
    code="DL3006",
    severity=Severity.WARNING,
    summary="Always tag the version of an image explicitly",
    check=check,
    explanation=__doc__ or "",
)
