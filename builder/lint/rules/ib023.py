"""The ARG defaults make an empty or invalid FROM image.

## What it does
Fills each `FROM` image's variables with the global ARGs' defaults (and BuildKit's platform
ARGs, as on linux/amd64) and reports the FROM when the result is not an image reference Docker
accepts: empty (`FROM $IMAGE` with `ARG IMAGE` and no default), a tag left empty
(`FROM alpine:$TAG`), upper case. This is BuildKit's `InvalidDefaultArgInFrom` check, reported
as `docker build --check` does; only a `# check=` at the top of the file turns it off.

## Why is this bad?
The build works only while every caller passes the right `--build-arg`; a plain
`docker build` fails with a confusing error, and tools that read the Dockerfile (dependency
bots, imgbuild's graph) cannot tell which image it uses.

## Example
```dockerfile
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
```

## Use instead
```dockerfile
ARG BASE_IMAGE=debian:12-slim
FROM ${BASE_IMAGE}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.dispatch import global_args
from builder.lint.imagename import is_pullable
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity
from builder.lint.shellwords import ExpansionError, expand


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    defaults = global_args(dockerfile).values
    for stage in dockerfile.stages:
        try:
            image = expand(stage.base, defaults, dockerfile.escape).result
        except ExpansionError:
            return  # BuildKit gives up on this check
        if not is_pullable(image):
            yield RuleHit(
                stage.line,
                f"Default value for ARG {stage.base} results in empty or invalid base image name",
            )


RULE = Rule(
    code="IB023",
    severity=Severity.WARNING,
    summary="The ARG defaults make an empty or invalid FROM image",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("InvalidDefaultArgInFrom", per_instruction=False),
)
