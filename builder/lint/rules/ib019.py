"""Relative WORKDIR before any WORKDIR of the build.

## What it does
Reports a `WORKDIR` whose path (variables expanded) is relative when no earlier `WORKDIR` of
the stage, or of the stages it is built on, set the directory: the path is then relative to
the base image's working directory. Later relative paths are fine, fixing the first one fixes
them all. This is BuildKit's `WorkdirRelativePath` check, reported as `docker build --check`
does; a Windows drive path (`C:\\app`) counts as absolute, as on the Windows builders such
Dockerfiles need. hadolint's DL3000 reports every relative WORKDIR: keep one of the two
(see the README's lint section).

## Why is this bad?
The directory depends on the base image's `WORKDIR`, which may change with a new tag of it,
and a reader cannot tell where the following instructions run.

## Example
```dockerfile
FROM python:3.12-slim
WORKDIR app
```

## Use instead
```dockerfile
FROM python:3.12-slim
WORKDIR /app
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import go_quoted
from builder.lint.dispatch import expansion, steps
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity

_ABSOLUTE_RE = re.compile(r"/|[A-Za-z]:[\\/]")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for step in steps(dockerfile):
        instruction = step.instruction
        if instruction.keyword != "WORKDIR" or step.workdir_set:
            continue
        expanded = expansion(instruction.arguments, step.env, dockerfile.escape)
        if expanded is not None and not _ABSOLUTE_RE.match(expanded.result):
            yield RuleHit(
                instruction.line,
                f"Relative workdir {go_quoted(expanded.result)} can have unexpected results if "
                "the base image changes",
            )


RULE = Rule(
    code="IB019",
    severity=Severity.WARNING,
    summary="Relative WORKDIR before any WORKDIR of the build",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("WorkdirRelativePath"),
)
