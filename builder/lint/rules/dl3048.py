"""Invalid label key.

## What it does
Reports a LABEL key that breaks Docker's recommended format: lower-case letters, digits, `.`,
`-` (and, as hadolint allows, `_` and `/`) only, starting with a letter and ending with a
letter or digit, no `..` or `--`, and not in a namespace Docker reserves (`com.docker.`,
`io.docker.`, `org.dockerproject.`).

## Why is this bad?
Tools that read labels expect reverse-DNS, lower-case keys; odd keys are missed or clash with
Docker's own.

## Example
```dockerfile
LABEL Maintainer="Platform team"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.authors="Platform team"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_VALID_RE = re.compile(r"^[a-z](?:[a-z0-9._/-]*[a-z0-9])?$")
_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "LABEL":
            continue
        keys = [key for key, _ in key_value_pairs(instruction.arguments)]
        if not keys and instruction.arguments.strip():
            keys = [instruction.arguments.split("=", 1)[0].strip()]
        if any(not is_valid_key(key) for key in keys):
            yield RuleHit(instruction.line)


def is_valid_key(key: str) -> bool:
    return (
        _VALID_RE.match(key) is not None
        and not key.startswith(_RESERVED)
        and ".." not in key
        and "--" not in key
    )


RULE = Rule(
    code="DL3048",
    severity=Severity.STYLE,
    summary="Invalid label key.",
    check=check,
    explanation=__doc__ or "",
)
