"""Label `<label>` does not conform to semantic versioning.

## What it does
With a `label-schema` configured, reports a LABEL instruction that sets a label of type
`semver` to something that is not a semantic version (`1.2.3`, `2.0.1-rc1`, `1.0.0+build.5`).

## Why is this bad?
Version labels are compared by tools; `v1.2` or `latest` cannot be ordered.

## Example
```dockerfile
# label-schema: {org.opencontainers.image.version: semver}
LABEL org.opencontainers.image.version="v1.2"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.version="1.2.0"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.labelschema import bad_label_hits
from builder.lint.model import LintContext, Rule, RuleHit, Severity

# The regular expression published with the Semantic Versioning 2.0.0 specification.
_SEMVER_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return bad_label_hits(
        dockerfile,
        context,
        "semver",
        _is_not_semver,
        "Label `<label>` does not conform to semantic versioning.",
    )


def _is_not_semver(value: str) -> bool:
    return _SEMVER_RE.match(value) is None


RULE = Rule(
    code="DL3056",
    severity=Severity.WARNING,
    summary="Label `<label>` does not conform to semantic versioning.",
    check=check,
    explanation=__doc__ or "",
)
