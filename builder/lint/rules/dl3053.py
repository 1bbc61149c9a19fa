"""Label `<label>` is not a valid time format - must conform to RFC3339.

## What it does
With a `label-schema` configured, reports a LABEL instruction that sets a label of type
`rfc3339` to something that is not an RFC 3339 timestamp (`2024-05-01T12:00:00Z`).

## Why is this bad?
Build dates are compared and sorted by tools; any other format makes them meaningless.

## Example
```dockerfile
# label-schema: {org.opencontainers.image.created: rfc3339}
LABEL org.opencontainers.image.created="May 1st 2024"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from builder.dockerfile import Dockerfile
from builder.lint.labelschema import bad_label_hits
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_RFC3339_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$"
)


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return bad_label_hits(
        dockerfile,
        context,
        "rfc3339",
        _is_not_rfc3339,
        "Label `<label>` is not a valid time format - must conform to RFC3339.",
    )


def _is_not_rfc3339(value: str) -> bool:
    match = _RFC3339_RE.match(value)
    if match is None:
        return True
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    offset_hour, offset_minute = match.group(7), match.group(8)
    if offset_hour is not None and (int(offset_hour) > 23 or int(offset_minute or 0) > 59):
        return True
    try:
        datetime(year, month, day, hour, minute, min(second, 59))
    except ValueError:
        return True
    return second > 60


RULE = Rule(
    code="DL3053",
    severity=Severity.WARNING,
    summary="Label `<label>` is not a valid time format - must conform to RFC3339.",
    check=check,
    explanation=__doc__ or "",
)
