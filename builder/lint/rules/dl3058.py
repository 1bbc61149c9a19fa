"""Label `<label>` is not a valid email format - must conform to RFC5322.

## What it does
With a `label-schema` configured, reports a LABEL instruction that sets a label of type
`email` to something that is not an RFC 5322 address (`local-part@domain`).

## Why is this bad?
A contact label that is not an address cannot be used to reach anyone.

## Example
```dockerfile
# label-schema: {maintainer: email}
LABEL maintainer="Platform team"
```

## Use instead
```dockerfile
LABEL maintainer="platform@example.com"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.labelschema import bad_label_hits
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATOM}(?:\.{_ATOM})*"
_QUOTED = r'"(?:[^"\\\r\n]|\\.)*"'
_DOMAIN_LITERAL = r"\[[^\[\]\\\s]*\]"
_EMAIL_RE = re.compile(rf"^(?:{_DOT_ATOM}|{_QUOTED})@(?:{_DOT_ATOM}|{_DOMAIN_LITERAL})$")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return bad_label_hits(
        dockerfile,
        context,
        "email",
        _is_not_email,
        "Label `<label>` is not a valid email format - must conform to RFC5322.",
    )


def _is_not_email(value: str) -> bool:
    return _EMAIL_RE.match(value) is None


RULE = Rule(
    code="DL3058",
    severity=Severity.WARNING,
    summary="Label `<label>` is not a valid email format - must conform to RFC5322.",
    check=check,
    explanation=__doc__ or "",
)
