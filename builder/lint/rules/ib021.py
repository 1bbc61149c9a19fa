"""`FROM --platform=$TARGETPLATFORM` is redundant.

## What it does
Reports a `FROM` whose `--platform` is just BuildKit's `$TARGETPLATFORM` (or
`${TARGETPLATFORM}`): the platform every stage has anyway. This is BuildKit's
`RedundantTargetPlatform` check, reported as `docker build --check` does. hadolint's DL3065
reports the same flag written exactly so: keep one of the two (see the README's lint section).

## Why is this bad?
It adds nothing and suggests to a reader that the stage differs from the others; the flag is
for stages that run on the build platform (`$BUILDPLATFORM`) in a cross-build.

## Example
```dockerfile
FROM --platform=${TARGETPLATFORM} gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
```

## Use instead
```dockerfile
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.dispatch import global_args, platform_expansions
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity

_TARGET = "TARGETPLATFORM"


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    target = global_args(dockerfile).values[_TARGET]
    for stage, expanded in platform_expansions(dockerfile):
        if expanded.matched == {_TARGET} and not expanded.unmatched and expanded.result == target:
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
