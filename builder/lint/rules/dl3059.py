"""Multiple consecutive `RUN` instructions. Consider consolidation.

## What it does
Reports a `RUN` of a single command that directly follows another `RUN` of a single command
with the same flags (comments in between do not count). RUNs chaining several commands are left
alone: splitting those was a deliberate choice. A heredoc is one RUN, however many lines it has.

## Why is this bad?
Each RUN is a layer. Consecutive one-command RUNs add layers (and cache invalidation points)
for no benefit.

## Example
```dockerfile
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import script_commands
from builder.lint.runscript import run_script


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    previous: tuple[tuple[tuple[str, str | None], ...], int] | None = None
    for instruction in dockerfile.instructions:
        if instruction.keyword != "RUN":
            previous = None
            continue
        count = len(script_commands(run_script(instruction)))
        if (
            previous is not None
            and previous[0] == instruction.flags
            and previous[1] <= 1
            and count <= 1
        ):
            yield RuleHit(instruction.line)
        else:
            previous = (instruction.flags, count)


RULE = Rule(
    code="DL3059",
    severity=Severity.INFO,
    summary="Multiple consecutive `RUN` instructions. Consider consolidation.",
    check=check,
    explanation=__doc__ or "",
)
