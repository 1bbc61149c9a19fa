"""Empty continuation line.

## What it does
Reports an instruction continued (`\\`) over an empty line (BuildKit's `NoEmptyContinuation`).

## Why is this bad?
Docker skips the empty line and goes on with the instruction, but a reader (and many tools)
take it as the instruction's end; future Docker versions may refuse it. It often hides a
command someone thought was commented out or removed.

## Example
```dockerfile
RUN apt-get update \

    && apt-get install -y curl
```

## Use instead
```dockerfile
RUN apt-get update \
    && apt-get install -y curl
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    lines = dockerfile.text.splitlines()
    for instruction in dockerfile.instructions:
        last = instruction.end_line
        if instruction.heredocs:
            last = instruction.heredocs[0].line - 1  # heredoc bodies may hold empty lines
        empty = [
            number
            for number in range(instruction.line + 1, last + 1)
            if number <= len(lines) and not lines[number - 1].strip()
        ]
        if empty:
            where = ", ".join(str(number) for number in empty)
            yield RuleHit(instruction.line, f"Empty continuation line (line {where})")


RULE = Rule(
    code="IB007",
    severity=Severity.WARNING,
    summary="Empty continuation line",
    check=check,
    explanation=__doc__ or "",
)
