"""stage name should not be a reserved word

## What it does
Reports a stage named `scratch` or `context` (`FROM image AS scratch`).
IB016 reports the same ground as BuildKit's `ReservedStageName` does (names in any case): ignore
one of the two to avoid a double report (see the README's lint section).

## Why is this bad?
`scratch` is the empty base image and `context` names the build context in BuildKit's
`--build-context`; a stage with either name is ambiguous, and later `FROM scratch` or
`COPY --from=context` will not mean what the reader thinks.

## Example
```dockerfile
FROM golang:1.22 AS scratch
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_RESERVED = frozenset({"scratch", "context"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "FROM":
            continue
        words = instruction.arguments.split()
        # hadolint compares the name as written: `AS Scratch` is not reported
        if len(words) >= 3 and words[1].lower() == "as" and words[2] in _RESERVED:
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3063",
    severity=Severity.WARNING,
    summary="stage name should not be a reserved word",
    check=check,
    explanation=__doc__ or "",
)
