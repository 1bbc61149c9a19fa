"""Multiple `CMD` instructions in a stage: only the last one takes effect.

## What it does
Reports every `CMD` after the first one of a stage.
IB020 reports the same ground as BuildKit's `MultipleInstructionsDisallowed` does (on the
earlier CMD): ignore one of the two to avoid a double report (see the README's lint section).

## Why is this bad?
Only the last `CMD` of a stage counts; the others are dead code that misleads the reader.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["python", "-m", "http.server"]
CMD ["python", "app.py"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
CMD ["python", "app.py"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.repeated import repeated_in_stage


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return (RuleHit(line) for line in repeated_in_stage(dockerfile, "CMD"))


RULE = Rule(
    code="DL4003",
    severity=Severity.WARNING,
    summary=(
        "Multiple `CMD` instructions found. If you list more than one `CMD` then only the "
        "last `CMD` will take effect"
    ),
    check=check,
    explanation=__doc__ or "",
)
