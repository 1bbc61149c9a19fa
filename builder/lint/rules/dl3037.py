"""Specify version with `zypper install -y <package>=<version>`.

## What it does
Reports a RUN with `zypper install` where a package has no version constraint: `httpd` rather
than `httpd=2.4.58` (or `>=`, `<` constraints, or a local `.rpm`).

## Why is this bad?
Without a version the image gets whatever the repository holds on the day of the build.

## Example
```dockerfile
RUN zypper install -y httpd && zypper clean
```

## Use instead
```dockerfile
RUN zypper install -y httpd=2.4.58 && zypper clean
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(not _is_pinned(command) for command in commands):
            yield RuleHit(instruction.line)


def _is_pinned(command: SimpleCommand) -> bool:
    if not command.has_args("zypper", "install", "in"):
        return True
    packages = [word for word in command.args_no_flags() if word not in ("install", "in")]
    return all(
        any(symbol in package for symbol in "=<>") or package.endswith(".rpm")
        for package in packages
    )


RULE = Rule(
    code="DL3037",
    severity=Severity.WARNING,
    summary="Specify version with `zypper install -y <package>=<version>`.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
