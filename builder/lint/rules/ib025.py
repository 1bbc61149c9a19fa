"""EXPOSE with a protocol not in lower case.

## What it does
Reports an `EXPOSE` port whose protocol is not written in lower case (`80/TCP`), its variables
expanded. This is BuildKit's `ExposeProtoCasing` check, reported as `docker build --check`
does.

## Why is this bad?
Docker lower-cases the protocol anyway; writing it otherwise is inconsistent with every other
tool and document, and makes searches for `/tcp` miss the line.

## Example
```dockerfile
EXPOSE 80/TCP 53/UDP
```

## Use instead
```dockerfile
EXPOSE 80/tcp 53/udp
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity
from builder.lint.ports import exposed_ports


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for port in exposed_ports(dockerfile):
        if port.protocol != port.protocol.lower():
            yield RuleHit(
                port.instruction.line,
                f"Defined protocol '{port.written}' in EXPOSE instruction should be lowercase",
            )


RULE = Rule(
    code="IB025",
    severity=Severity.STYLE,
    summary="EXPOSE with a protocol not in lower case",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("ExposeProtoCasing"),
)
