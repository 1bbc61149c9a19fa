"""`COPY` to a relative destination without `WORKDIR` set.

## What it does
Reports a COPY to a relative destination (`COPY app.py app.py`) in a stage where no WORKDIR
was set, neither in the stage nor in a stage it is built on. Absolute destinations (`/app/`,
`C:\\app`) and destinations from a variable are not reported.

## Why is this bad?
A relative destination is relative to the base image's working directory, which the base image
can change at any time; the files then land somewhere else.

## Example
```dockerfile
FROM python:3.12
COPY app.py app.py
```

## Use instead
```dockerfile
FROM python:3.12
WORKDIR /app
COPY app.py app.py
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.paths import destination_as_written

_ABSOLUTE_RE = re.compile(r"^(?:/|[A-Za-z]:[\\/]|\$)")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    # As hadolint does, a stage is known by its name, or by its image when it has none, and
    # starts with the WORKDIR state of the stage (or image) it is built on.
    workdir_set: dict[str | None, bool] = {}
    current: str | None = None
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM" and instruction.stage >= 0:
            stage = dockerfile.stages[instruction.stage]
            inherited = workdir_set.get(stage.base, False)
            current = stage.name if stage.name is not None else stage.base
            workdir_set[current] = inherited
        elif instruction.keyword == "WORKDIR":
            workdir_set[current] = True
        elif instruction.keyword == "COPY" and not workdir_set.get(current, False):
            destination = destination_as_written(instruction).strip("\"'")
            if destination and not _ABSOLUTE_RE.match(destination):
                yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3045",
    severity=Severity.WARNING,
    summary="`COPY` to a relative destination without `WORKDIR` set.",
    check=check,
    explanation=__doc__ or "",
)
