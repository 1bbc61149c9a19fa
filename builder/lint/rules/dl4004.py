"""Multiple `ENTRYPOINT` instructions in a stage: only the last one takes effect.

## What it does
Reports every `ENTRYPOINT` after the first one of a stage.
IB020 reports the same ground as BuildKit's `MultipleInstructionsDisallowed` does (on the
earlier ENTRYPOINT): ignore one of the two to avoid a double report (see the README's lint
section).

## Why is this bad?
Only the last `ENTRYPOINT` of a stage counts; the others are dead code that misleads the
reader.

## Example
```dockerfile
FROM alpine:3.20
ENTRYPOINT ["/bin/sh"]
ENTRYPOINT ["/usr/local/bin/app"]
```

## Use instead
```dockerfile
FROM alpine:3.20
ENTRYPOINT ["/usr/local/bin/app"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.repeated import repeated_in_stage


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return (RuleHit(line) for line in repeated_in_stage(dockerfile, "ENTRYPOINT"))


RULE = Rule(
    code="DL4004",
    severity=Severity.ERROR,
    summary=(
        "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` "
        "then only the last `ENTRYPOINT` will take effect"
    ),
    check=check,
    explanation=__doc__ or "",
)
