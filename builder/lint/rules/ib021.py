"""`FROM --platform=$TARGETPLATFORM` is redundant.

## What it does
Reports a `FROM` whose `--platform` is just BuildKit's `$TARGETPLATFORM` (or
`${TARGETPLATFORM}`): the platform every stage has anyway. This is BuildKit's
`RedundantTargetPlatform` check, reported as `docker build --check` does.

## Why is this bad?
It adds nothing and suggests to a reader that the stage differs from the others; the flag is
for stages that run on the build platform (`$BUILDPLATFORM`) in a cross-build.

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
from builder.lint.dispatch import global_args
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity
from builder.lint.shellwords import ExpansionError, expand

_TARGET = "TARGETPLATFORM"


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    values = global_args(dockerfile).values
    for stage in dockerfile.stages:
        if not stage.platform:
            continue
        try:
            expanded = expand(stage.platform, values, dockerfile.escape)
        except ExpansionError:
            return
        if (
            expanded.matched == {_TARGET}
            and not expanded.unmatched
            and expanded.result == values[_TARGET]
        ):
            yield RuleHit(
                stage.line,
                f"Setting platform to predefined {stage.platform} in FROM is redundant as this "
                "is the default behavior",
            )


RULE = Rule(
    code="IB021",
    severity=Severity.INFO,
    summary="`FROM --platform=$TARGETPLATFORM` is redundant",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("RedundantTargetPlatform"),
)
