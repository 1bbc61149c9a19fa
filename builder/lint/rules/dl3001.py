"""For some bash commands it makes no sense running them in a Docker container like `ssh`,
`vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`

## What it does
Reports a `RUN` that runs one of `free`, `kill`, `mount`, `ps`, `service`, `shutdown`, `ssh`,
`top` or `vim` (hadolint's list), also inside `ONBUILD RUN`. Installing such a program
(`apt-get install ssh`) is fine.

## Why is this bad?
A build step has no running services, no terminal and no processes to inspect: these commands
either do nothing useful or show the build was written like an interactive session.

## Example
```dockerfile
RUN service nginx start
```

## Use instead
```dockerfile
CMD ["nginx", "-g", "daemon off;"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs

_POINTLESS = frozenset({"free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(command.program in _POINTLESS for command in commands):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3001",
    severity=Severity.INFO,
    summary="For some bash commands it makes no sense running them in a Docker container like "
    "`ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
