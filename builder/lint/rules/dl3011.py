"""Valid UNIX ports range from 0 to 65535

## What it does
Reports an `EXPOSE` of a port, or a port range, beyond 65535. Ports written with variables
(`EXPOSE ${PORT}`) are left alone.

## Why is this bad?
Such a port cannot exist: the build fails, or the instruction documents something false.

## Example
```dockerfile
EXPOSE 80800
```

## Use instead
```dockerfile
EXPOSE 8080
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def invalid(port: str) -> bool:
    number = port.split("/", 1)[0].strip("\"'")
    # isascii: "²".isdigit() is true, but int() rejects it.
    return any(
        part.isascii() and part.isdigit() and int(part) > 65535 for part in number.split("-", 1)
    )


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "EXPOSE" and any(map(invalid, instruction.arguments.split())):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3011",
    severity=Severity.ERROR,
    summary="Valid UNIX ports range from 0 to 65535",
    check=check,
    explanation=__doc__ or "",
)
