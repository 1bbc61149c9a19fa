"""Superfluous label(s) present.

## What it does
With `strict-labels: true` and a `label-schema`, reports every LABEL instruction that sets a
label the schema does not name.

## Why is this bad?
A strict schema is how a team keeps its image metadata uniform; a label outside it is usually
a typo of a schema label or metadata nobody agreed to maintain.

## Example
```dockerfile
# label-schema: {maintainer: email}, strict-labels: true
LABEL maintainer="team@example.com" owner="me"
```

## Use instead
```dockerfile
LABEL maintainer="team@example.com"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    if not context.strict_labels:
        return
    for instruction in dockerfile.instructions:
        if instruction.keyword == "LABEL" and any(
            key not in context.label_schema for key, _ in key_value_pairs(instruction.arguments)
        ):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3050",
    severity=Severity.INFO,
    summary="Superfluous label(s) present.",
    check=check,
    explanation=__doc__ or "",
)
