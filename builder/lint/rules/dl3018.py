"""Pin versions in apk add.

## What it does
Reports a RUN with `apk add <package>` where a package has no version constraint: `curl`
rather than `curl=8.9.1-r0` (or `~`, `>=`, `<` constraints, or a version in a variable:
`curl=${CURL_VERSION}`). Local `.apk` files are not reported.

## Why is this bad?
Without a version, the image gets whatever the repository holds on the day of the build.

## Example
```dockerfile
RUN apk add --no-cache curl
```

## Use instead
```dockerfile
RUN apk add --no-cache curl=8.9.1-r0
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand

_VALUE_OPTIONS = ("t", "virtual", "repository", "X", "p", "root", "repositories-file")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_adds_unpinned(command) for command in commands):
            yield RuleHit(instruction.line)


def _adds_unpinned(command: SimpleCommand) -> bool:
    if not command.has_args("apk", "add"):
        return False
    packages = [word for word in command.args_no_flags(_VALUE_OPTIONS) if word != "add"]
    return not all(_is_pinned(package) for package in packages)


def _is_pinned(package: str) -> bool:
    return any(symbol in package for symbol in "=~<>") or package.endswith(".apk")


RULE = Rule(
    code="DL3018",
    severity=Severity.WARNING,
    summary=(
        "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`"
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
