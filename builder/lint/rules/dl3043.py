"""`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.

## What it does
Reports `ONBUILD ONBUILD ...`, `ONBUILD FROM ...` and `ONBUILD MAINTAINER ...`.

## Why is this bad?
Docker does not allow these as ONBUILD triggers; the image that builds on this one fails.

## Example
```dockerfile
ONBUILD FROM debian:12
```

## Use instead
```dockerfile
ONBUILD RUN ./configure-for-child
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_FORBIDDEN = frozenset({"ONBUILD", "FROM", "MAINTAINER"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "ONBUILD":
            continue
        words = instruction.arguments.split(None, 1)
        if words and words[0].upper() in _FORBIDDEN:
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3043",
    severity=Severity.ERROR,
    summary="`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
    check=check,
    explanation=__doc__ or "",
)
