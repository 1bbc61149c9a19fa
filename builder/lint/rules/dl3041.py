"""Specify version with `dnf install -y <package>-<version>`.

## What it does
Reports a RUN with `dnf install` or `microdnf install` where a package has no version (`httpd`
rather than `httpd-2.4.57`), or `dnf module install` where a module has no stream (`nodejs`
rather than `nodejs:20`). Group installs are not reported. A version in a variable the file
declares (`git-core-${GIT_VERSION}` with an ARG or ENV of that name) counts as pinned.

## Why is this bad?
Without a version the image gets whatever the repository holds on the day of the build.

## Example
```dockerfile
RUN dnf install -y httpd && dnf clean all
```

## Use instead
```dockerfile
RUN dnf install -y httpd-2.4.57 && dnf clean all
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import declared_variables, rpm_is_pinned, runs
from builder.lint.shell import SimpleCommand

_NOT_PACKAGES = frozenset({"install", "module", "group"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    declared = declared_variables(dockerfile)
    for instruction, commands in runs(dockerfile):
        names = declared.get(instruction.line, frozenset())
        if any(not _is_pinned(command, names) for command in commands):
            yield RuleHit(instruction.line)


def _is_pinned(command: SimpleCommand, declared: frozenset[str]) -> bool:
    if command.program not in ("dnf", "microdnf") or not command.has_arg("install"):
        return True
    if command.has_arg("group"):
        return True
    is_module = command.has_arg("module")
    flag_indexes = {index for _, index in command.flags}
    for index, raw in enumerate(command.raw_args):
        if index in flag_indexes or command.args[index] in _NOT_PACKAGES:
            continue
        pinned = ":" in raw if is_module else rpm_is_pinned(raw, declared)
        if not pinned:
            return False
    return True


RULE = Rule(
    code="DL3041",
    severity=Severity.WARNING,
    summary="Specify version with `dnf install -y <package>-<version>`.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
