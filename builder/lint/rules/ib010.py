"""A stage that nothing uses.

## What it does
Reports a stage that is not the last one and that no later stage builds `FROM`, copies from
(`COPY --from`) or mounts (`RUN --mount=from=`). Files whose stage references use variables
are not checked, since any stage may be the one meant.

## Why is this bad?
A plain `docker build` skips it (BuildKit) or builds it for nothing (the classic builder).
It is usually left over from a refactoring, or a typo in a `--from`. If it is a target built
with `--target`, ignore this finding for it with a pragma.

## Example
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /app ./cmd/app
FROM golang:1.22 AS test
RUN go test ./...
FROM gcr.io/distroless/static
COPY --from=build /app /app
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
RUN go build -o /app ./cmd/app
FROM gcr.io/distroless/static
COPY --from=build /app /app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    references = _stage_references(dockerfile)
    if any("$" in reference for reference, _ in references):
        return
    used: set[int] = set()
    for reference, before in references:
        stage = dockerfile.stage_by_reference(reference.lower(), before)
        if stage is not None:
            used.add(stage.index)
    for stage in dockerfile.stages[:-1]:
        if stage.index not in used:
            label = f"'{stage.name}'" if stage.name else f"{stage.index} (unnamed)"
            yield RuleHit(stage.line, f"Stage {label} is never used by a later stage")


def _stage_references(dockerfile: Dockerfile) -> list[tuple[str, int]]:
    """Every (stage reference, index of the stage it appears in)."""
    found = []
    for stage in dockerfile.stages:
        found.append((stage.base, stage.index))
        for instruction in stage.instructions:
            source = instruction.flag("from") if instruction.keyword in ("COPY", "ADD") else None
            if source:
                found.append((source, stage.index))
            if instruction.keyword == "RUN":
                found.extend(
                    (options["from"], stage.index)
                    for options in instruction.mounts()
                    if options.get("from")
                )
    return found


RULE = Rule(
    code="IB010",
    severity=Severity.INFO,
    summary="A stage that nothing uses",
    check=check,
    explanation=__doc__ or "",
)
