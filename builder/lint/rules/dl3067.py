"""Do not copy an entire filesystem from another stage

## What it does
Reports `COPY --from=stage / /`: copying the root of another stage or image onto the root.

## Why is this bad?
It drags the other stage's whole filesystem, package databases and caches included, into
this image, and silently overwrites this stage's files. Copy the directories you need.

## Example
```dockerfile
COPY --from=build / /
```

## Use instead
```dockerfile
COPY --from=build /app/bin/ /usr/local/bin/
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runscript import argument_words


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "COPY" or not instruction.flag("from"):
            continue
        words = argument_words(instruction.arguments)
        if len(words) >= 2 and words[-1] == "/" and "/" in words[:-1]:
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3067",
    severity=Severity.WARNING,
    summary="Do not copy an entire filesystem from another stage",
    check=check,
    explanation=__doc__ or "",
)
