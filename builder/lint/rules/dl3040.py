"""`dnf clean all` missing after dnf command.

## What it does
Reports a RUN where `dnf` or `microdnf` installs, upgrades or reinstalls packages and the same
program does not clean its cache afterwards in that RUN (`dnf clean all`, or removing
`/var/cache/dnf`, `/var/cache/yum` or `/var/cache/libdnf5`), unless the cache is a BuildKit cache
or tmpfs mount (`RUN --mount=type=cache,target=/var/cache/libdnf5`).

## Why is this bad?
The package cache stays in the layer and makes the image bigger.

## Example
```dockerfile
RUN dnf install -y httpd-2.4.57
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
from builder.lint.runs import cleans_after, mounts_cache_at, removes, runs
from builder.lint.shell import SimpleCommand

_CACHES = ("/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5")
_SUBCOMMANDS = ("install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if mounts_cache_at(instruction, *_CACHES):
            continue
        if any(not _cleans_after(commands, program) for program in ("dnf", "microdnf")):
            yield RuleHit(instruction.line)


def _cleans_after(commands: tuple[SimpleCommand, ...], program: str) -> bool:
    def installs(command: SimpleCommand) -> bool:
        return command.has_args(program, *_SUBCOMMANDS)

    def cleans(command: SimpleCommand) -> bool:
        return command.has_args(program, "clean") or removes(command, *_CACHES)

    return cleans_after(commands, installs, cleans)


RULE = Rule(
    code="DL3040",
    severity=Severity.WARNING,
    summary="`dnf clean all` missing after dnf command.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
