"""Two stages have the same name.

## What it does
Reports a `FROM ... AS name` whose name (in any case) an earlier stage already has. This is
BuildKit's `DuplicateStageName` check, reported as `docker build --check` does; only a
`# check=` at the top of the file turns it off. hadolint's DL3024 reports the same stages: keep
one of the two (see the README's lint section).

## Why is this bad?
`COPY --from=name` and `FROM name` then mean the last stage of that name, which a reader of
the first one does not expect; it is usually a copied block whose name was not changed.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /api ./cmd/api
FROM golang:1.22 AS build
RUN go build -o /worker ./cmd/worker
```

## Use instead
```dockerfile
FROM golang:1.22 AS build-api
RUN go build -o /api ./cmd/api
FROM golang:1.22 AS build-worker
RUN go build -o /worker ./cmd/worker
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import go_quoted
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    seen: set[str] = set()
    for stage in dockerfile.stages:
        if not stage.name:
            continue
        if stage.name in seen:
            yield RuleHit(
                stage.line,
                f"Duplicate stage name {go_quoted(stage.name)}, stage names should be unique",
            )
        seen.add(stage.name)


RULE = Rule(
    code="IB015",
    severity=Severity.WARNING,
    summary="Two stages have the same name",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("DuplicateStageName", per_instruction=False),
)
