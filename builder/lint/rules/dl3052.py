"""Label `<label>` is not a valid URL.

## What it does
With a `label-schema` configured, reports a LABEL instruction that sets a label of type `url`
to something that is not an absolute URI (RFC 3986: a scheme, a colon, and only characters a
URI may hold).

## Why is this bad?
Tools that read the label (registries, scanners, dashboards) link to it; a value that is not a
URL breaks the link silently.

## Example
```dockerfile
# label-schema: {org.opencontainers.image.source: url}
LABEL org.opencontainers.image.source="github.com/acme/app"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.source="https://github.com/acme/app"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.labelschema import bad_label_hits
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_ABSOLUTE_URI_RE = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
)


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return bad_label_hits(
        dockerfile, context, "url", _is_not_url, "Label `<label>` is not a valid URL."
    )


def _is_not_url(value: str) -> bool:
    return _ABSOLUTE_URI_RE.match(value) is None


RULE = Rule(
    code="DL3052",
    severity=Severity.WARNING,
    summary="Label `<label>` is not a valid URL.",
    check=check,
    explanation=__doc__ or "",
)
