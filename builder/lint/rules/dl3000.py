"""Use absolute WORKDIR.

## What it does
Reports a `WORKDIR` whose path is relative. A path that starts with a variable (`$HOME/app`)
or a Windows drive (`C:\\app`) counts as absolute.
IB019 reports the same ground as BuildKit's `WorkdirRelativePath` does (only the first relative
WORKDIR of a build): ignore one of the two to avoid a double report (see the README's lint
section).

## Why is this bad?
A relative WORKDIR is resolved against the previous one, which may come from the base image
and change under you; an absolute path says where the following instructions run.

## Example
```dockerfile
WORKDIR app
```

## Use instead
```dockerfile
WORKDIR /usr/src/app
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_ABSOLUTE_RE = re.compile(r"^(?:[/$]|[A-Za-z]:)")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "WORKDIR":
            continue
        path = instruction.arguments.strip().strip("\"'")
        if path and not _ABSOLUTE_RE.match(path):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3000",
    severity=Severity.ERROR,
    summary="Use absolute WORKDIR",
    check=check,
    explanation=__doc__ or "",
)
