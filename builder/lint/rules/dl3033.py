"""Specify version with `yum install -y <package>-<version>`.

## What it does
Reports a RUN with `yum install` where a package has no version (`httpd` rather than
`httpd-2.4.57`), or `yum module install` where a module has no stream (`nodejs` rather than
`nodejs:20`). A version in a variable the file declares (`git-core-${GIT_VERSION}` with an ARG
or ENV of that name) counts as pinned; local `.rpm` files are not reported.

## Why is this bad?
Without a version the image gets whatever the repository holds on the day of the build.

## Example
```dockerfile
RUN yum install -y httpd && yum clean all
```

## Use instead
```dockerfile
RUN yum install -y httpd-2.4.57 && yum clean all
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import declared_variables, rpm_is_pinned, runs
from builder.lint.shell import SimpleCommand


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    declared = declared_variables(dockerfile)
    for instruction, commands in runs(dockerfile):
        names = declared.get(instruction.line, frozenset())
        if any(not _is_pinned(command, names) for command in commands):
            yield RuleHit(instruction.line)


def _is_pinned(command: SimpleCommand, declared: frozenset[str]) -> bool:
    if not command.has_args("yum", "install"):
        return True
    is_module = command.has_arg("module")
    flag_indexes = {index for _, index in command.flags}
    for index, raw in enumerate(command.raw_args):
        if index in flag_indexes or command.args[index] in ("install", "module"):
            continue
        pinned = ":" in raw if is_module else rpm_is_pinned(raw, declared)
        if not pinned:
            return False
    return True


RULE = Rule(
    code="DL3033",
    severity=Severity.WARNING,
    summary="Specify version with `yum install -y <package>-<version>`.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
