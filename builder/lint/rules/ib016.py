"""A stage is named `scratch` or `context`.

## What it does
Reports a stage named (in any case) `scratch` or `context`, names BuildKit reserves: `scratch`
is the empty image and `context` the build context. This is BuildKit's `ReservedStageName`
check, reported as `docker build --check` does; only a `# check=` at the top of the file turns
it off. hadolint's DL3063 reports the same names written in lower case: keep one of the two
(see the README's lint section).

## Why is this bad?
A later `FROM scratch` or `COPY --from=context` no longer means what every reader expects, and
a named build context (`--build-context context=...`) clashes with the stage.

## Example
```dockerfile
FROM alpine:3.20 AS Scratch
RUN apk add --no-cache ca-certificates
```

## Use instead
```dockerfile
FROM alpine:3.20 AS certificates
RUN apk add --no-cache ca-certificates
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import go_quoted
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity

_RESERVED = frozenset({"context", "scratch"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for stage in dockerfile.stages:
        if stage.name in _RESERVED:
            yield RuleHit(
                stage.line,
                "Stage name should not use the same name as reserved stage "
                f"{go_quoted(stage.name)}",
            )


RULE = Rule(
    code="IB016",
    severity=Severity.WARNING,
    summary="A stage is named `scratch` or `context`",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("ReservedStageName", per_instruction=False),
)
