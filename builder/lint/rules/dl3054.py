"""Label `<label>` is not a valid SPDX identifier.

## What it does
With a `label-schema` configured, reports a LABEL instruction that sets a label of type `spdx`
to something that is not an SPDX license identifier (`MIT`, `Apache-2.0`, `BSD-3-Clause`).

## Why is this bad?
License scanners match the identifier exactly; a free-form license name is invisible to them.

## Example
```dockerfile
# label-schema: {org.opencontainers.image.licenses: spdx}
LABEL org.opencontainers.image.licenses="Apache License 2"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.licenses="Apache-2.0"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.labelschema import bad_label_hits
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return bad_label_hits(
        dockerfile,
        context,
        "spdx",
        _is_not_spdx_identifier,
        "Label `<label>` is not a valid SPDX identifier.",
    )


def _is_not_spdx_identifier(value: str) -> bool:
    # hadolint accepts a single license identifier, not an expression like `MIT OR Apache-2.0`.
    if not value or any(char.isspace() for char in value) or "(" in value:
        return True
    if value.startswith("LicenseRef-"):
        return True
    # Imported here: only a file with a license label (under a label schema) needs SPDX's table.
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        canonicalize_license_expression(value)
    except InvalidLicenseExpression:
        return True
    return False


RULE = Rule(
    code="DL3054",
    severity=Severity.WARNING,
    summary="Label `<label>` is not a valid SPDX identifier.",
    check=check,
    explanation=__doc__ or "",
)
