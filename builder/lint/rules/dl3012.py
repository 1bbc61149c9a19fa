"""Multiple `HEALTHCHECK` instructions

## What it does
Reports every `HEALTHCHECK` after the first one in the same stage.
IB020 reports the same ground as BuildKit's `MultipleInstructionsDisallowed` does (on the
earlier HEALTHCHECK): ignore one of the two to avoid a double report (see the README's lint
section).

## Why is this bad?
Only the last HEALTHCHECK of an image takes effect; the others are dead text that readers
will take for the check that runs.

## Example
```dockerfile
FROM nginx:1.27
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
HEALTHCHECK CMD wget -q -O /dev/null http://localhost/ || exit 1
```

## Use instead
```dockerfile
FROM nginx:1.27
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.repeated import repeated_in_stage


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for line in repeated_in_stage(dockerfile, "HEALTHCHECK"):
        yield RuleHit(line)


RULE = Rule(
    code="DL3012",
    severity=Severity.ERROR,
    summary="Multiple `HEALTHCHECK` instructions",
    check=check,
    explanation=__doc__ or "",
)
