"""Non-numeric user-id may not be resolvable by host system

## What it does
Reports a `USER` whose user part is a name rather than a numeric UID, unless it refers to an
ARG declared earlier in the file (`USER ${APP_UID}`), whose value is then the builder's choice.

## Why is this bad?
A user name means something only inside the image. Kubernetes' `runAsNonRoot` cannot verify a
name, and volume permissions on the host are set by number.

## Example
```dockerfile
USER app
```

## Use instead
```dockerfile
USER 10001:10001
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, parse_arg
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    declared: set[str] = set()
    for instruction in dockerfile.instructions:
        if instruction.keyword == "ARG":
            declared.update(parse_arg(instruction.arguments))
        elif instruction.keyword == "USER":
            user = _as_written(instruction.text, instruction.arguments).split(":", 1)[0]
            if user.isdigit():
                continue
            # hadolint looks for the text `$NAME` or `${NAME}` of any ARG declared so far
            if any(f"${name}" in user or f"${{{name}}}" in user for name in declared):
                continue
            yield RuleHit(instruction.line)


def _as_written(text: str, arguments: str) -> str:
    """The arguments with trailing blanks kept, as hadolint reads a one-line USER."""
    first_line = text.splitlines()[0] if text else ""
    if first_line.rstrip().endswith("\\") or not arguments:
        return arguments
    index = first_line.find(arguments)
    return first_line[index:] if index >= 0 else arguments


RULE = Rule(
    code="DL3066",
    severity=Severity.INFO,
    summary="Non-numeric user-id may not be resolvable by host system",
    check=check,
    explanation=__doc__ or "",
)
