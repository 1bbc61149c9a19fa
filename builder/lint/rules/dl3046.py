"""`useradd` without flag `-l` and high UID will result in excessively large Image.

## What it does
Reports a RUN with `useradd -u UID` where UID has more than five digits and neither `-l` nor
`--no-log-init` is given.

## Why is this bad?
`useradd` reserves space in `/var/log/lastlog` and `/var/log/faillog` for every UID up to the
new one: with a large UID these sparse files become gigabytes in the image layer.

## Example
```dockerfile
RUN useradd -u 1000000 app
```

## Use instead
```dockerfile
RUN useradd -l -u 1000000 app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_bloats(command) for command in commands):
            yield RuleHit(instruction.line)


def _bloats(command: SimpleCommand) -> bool:
    return (
        command.program == "useradd"
        and not command.has_flag("l", "no-log-init")
        and command.has_flag("u", "uid")
        and any(len(uid) > 5 for uid in command.flag_arguments("u"))
    )


RULE = Rule(
    code="DL3046",
    severity=Severity.WARNING,
    summary="`useradd` without flag `-l` and high UID will result in excessively large Image.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
