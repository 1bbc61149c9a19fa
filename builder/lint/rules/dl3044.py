"""Do not refer to an environment variable within the same `ENV` statement where it is defined.

## What it does
Reports an ENV that sets a variable and uses it in another value of the same instruction
(`ENV A=1 B=$A`) when no earlier ENV or ARG defined it.

## Why is this bad?
Docker substitutes the values of one ENV from the variables as they were before it, so `$A`
in the same ENV is empty (or an older value), not `1`.

## Example
```dockerfile
ENV APP_HOME=/app APP_BIN=${APP_HOME}/bin
```

## Use instead
```dockerfile
ENV APP_HOME=/app
ENV APP_BIN=${APP_HOME}/bin
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, parse_arg
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    defined: set[str] = set()
    for instruction in dockerfile.instructions:
        if instruction.keyword == "ARG":
            defined.update(parse_arg(instruction.arguments))
        elif instruction.keyword == "ENV":
            pairs = key_value_pairs(instruction.arguments)
            if any(
                name not in defined and _refers(name, value)
                for index, (name, _) in enumerate(pairs)
                for other, (_, value) in enumerate(pairs)
                if other != index
            ):
                yield RuleHit(instruction.line)
            defined.update(name for name, _ in pairs)


def _refers(name: str, value: str) -> bool:
    """`${name}` or `$name` not followed by more name characters (`$NAMEX` is another name)."""
    bare = re.search(rf"\${re.escape(name)}(?![A-Za-z0-9_])", value)
    return f"${{{name}}}" in value or bare is not None


RULE = Rule(
    code="DL3044",
    severity=Severity.ERROR,
    summary=(
        "Do not refer to an environment variable within the same `ENV` statement where it "
        "is defined."
    ),
    check=check,
    explanation=__doc__ or "",
)
