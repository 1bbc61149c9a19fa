"""`yum clean all` missing after yum command.

## What it does
Reports a RUN with `yum install` that does not clean yum's cache afterwards in the same RUN
(`yum clean all`, or removing `/var/cache/yum`), unless the cache is a BuildKit cache or tmpfs
mount (`RUN --mount=type=cache,target=/var/cache/yum`), where nothing stays in the image.

## Why is this bad?
The package cache stays in the layer and makes the image bigger; a later RUN cannot remove it
from the earlier layer.

## Example
```dockerfile
RUN yum install -y httpd-2.4.57
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
from builder.lint.runs import cleans_after, mounts_cache_at, removes, runs
from builder.lint.shell import SimpleCommand

_CACHE = "/var/cache/yum"


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if mounts_cache_at(instruction, _CACHE):
            continue
        if not cleans_after(commands, _installs, _cleans):
            yield RuleHit(instruction.line)


def _installs(command: SimpleCommand) -> bool:
    return command.has_args("yum", "install")


def _cleans(command: SimpleCommand) -> bool:
    return command.has_args("yum", "clean") or removes(command, _CACHE)


RULE = Rule(
    code="DL3032",
    severity=Severity.WARNING,
    summary="`yum clean all` missing after yum command.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
