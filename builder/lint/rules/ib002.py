"""The `AS` keyword's casing does not match `FROM`'s.

## What it does
Reports `FROM image as name` (or `from image AS name`): the two keywords of one instruction
written in different cases. A `From` written in mixed case is left to IB003. This is BuildKit's
`FromAsCasing` check, reported as `docker build --check` does, also above a line Docker cannot
parse.

## Why is this bad?
Mixed casing within an instruction is harder to scan and to search for; it is usually the
mark of a line pasted from elsewhere.

## Example
```dockerfile
FROM golang:1.22 as build
```

## Use instead
```dockerfile
FROM golang:1.22 AS build
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import BuildkitCheck, CheckPhase, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "FROM":
            continue
        words = instruction.arguments.split()
        if len(words) < 3:
            continue
        keyword, as_word = instruction.written_keyword, words[1]
        if keyword == keyword.lower():
            matches = as_word == as_word.lower()
        elif keyword == keyword.upper():
            matches = as_word == as_word.upper()
        else:
            continue  # `From`: ConsistentInstructionCasing's business
        if not matches:
            yield RuleHit(
                instruction.line,
                f"'{as_word}' and '{keyword}' keywords' casing do not match",
            )


RULE = Rule(
    code="IB002",
    severity=Severity.STYLE,
    summary="The `AS` keyword's casing does not match `FROM`'s",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("FromAsCasing", CheckPhase.INSTRUCTIONS),
)
