"""FROM --platform with a constant value.

## What it does
Reports a `FROM --platform=linux/amd64` (a constant, valid platform) unless the stage's name
says which OS or architecture it is for (`AS build-amd64`). A platform taken from a variable
(`$BUILDPLATFORM`) is fine. This is BuildKit's `FromPlatformFlagConstDisallowed` check,
reported as `docker build --check` does. hadolint's DL3029 reports every constant platform,
whatever the stage's name: keep one of the two (see the README's lint section).

## Why is this bad?
A fixed platform makes the stage build for that platform whatever the build asks for, which
breaks multi-platform builds and surprises people on other machines.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.22 AS build
```

## Use instead
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.22 AS build
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import go_quoted
from builder.lint.dispatch import platform_expansions
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for stage, expanded in platform_expansions(dockerfile):
        if expanded.matched or expanded.unmatched:
            continue
        from builder.lint.platforms import parse_platform  # only for a constant --platform

        platform = parse_platform(expanded.result)
        if platform is None:
            continue
        name = stage.name or ""
        if platform.os in name or platform.architecture in name:
            continue
        yield RuleHit(
            stage.line,
            f"FROM --platform flag should not use constant value {go_quoted(expanded.result)}",
        )


RULE = Rule(
    code="IB024",
    severity=Severity.WARNING,
    summary="FROM --platform with a constant value",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("FromPlatformFlagConstDisallowed"),
)
