"""Either use Wget or Curl but not both

## What it does
Reports a `RUN` that uses `curl` in a stage that also used `wget` before (or in the same
RUN), and the other way round. Each stage is judged on its own.

## Why is this bad?
Installing two tools that do the same job makes the image bigger and the Dockerfile harder to
keep consistent.

## Example
```dockerfile
RUN wget -q https://example.com/a.tar.gz
RUN curl -fsSLO https://example.com/b.tar.gz
```

## Use instead
```dockerfile
RUN curl -fsSLO https://example.com/a.tar.gz \
 && curl -fsSLO https://example.com/b.tar.gz
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import script_commands
from builder.lint.runscript import run_script

_TOOLS = frozenset({"curl", "wget"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    seen: set[str] = set()
    stage = -1
    for instruction in dockerfile.instructions:
        if instruction.stage != stage:
            stage, seen = instruction.stage, set()
        if instruction.keyword != "RUN":
            continue
        used = {c.program for c in script_commands(run_script(instruction))} & _TOOLS
        seen |= used
        if used and seen == _TOOLS:
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL4001",
    severity=Severity.WARNING,
    summary="Either use Wget or Curl but not both",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
