"""Label `<label>` is empty.

## What it does
With a `label-schema` configured, reports a LABEL instruction that sets a schema label to the
empty string.

## Why is this bad?
An empty required label satisfies the letter of the schema and none of its purpose.

## Example
```dockerfile
# label-schema: {maintainer: text}
LABEL maintainer=""
```

## Use instead
```dockerfile
LABEL maintainer="Platform team"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.labelschema import bad_label_hits
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return bad_label_hits(dockerfile, context, None, _is_empty, "label `<label>` is empty.")


def _is_empty(value: str) -> bool:
    return value == ""


RULE = Rule(
    code="DL3051",
    severity=Severity.WARNING,
    summary="label `<label>` is empty.",
    check=check,
    explanation=__doc__ or "",
)
