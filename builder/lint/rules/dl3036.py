"""`zypper clean` missing after zypper use.

## What it does
Reports a RUN with `zypper install` that does not clean zypper's cache afterwards in the same
RUN (`zypper clean`/`zypper cc`, or removing `/var/cache/zypp`), unless the cache is a BuildKit
cache or tmpfs mount (`RUN --mount=type=cache,target=/var/cache/zypp`).

## Why is this bad?
The package cache stays in the layer and makes the image bigger.

## Example
```dockerfile
RUN zypper install -y httpd=2.4.58
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
from builder.lint.runs import cleans_after, mounts_cache_at, removes, runs
from builder.lint.shell import SimpleCommand

_CACHE = "/var/cache/zypp"


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if mounts_cache_at(instruction, _CACHE):
            continue
        if not cleans_after(commands, _installs, _cleans):
            yield RuleHit(instruction.line)


def _installs(command: SimpleCommand) -> bool:
    return command.has_args("zypper", "install", "in")


def _cleans(command: SimpleCommand) -> bool:
    return command.has_args("zypper", "clean", "cc") or removes(command, _CACHE)


RULE = Rule(
    code="DL3036",
    severity=Severity.WARNING,
    summary="`zypper clean` missing after zypper use.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
