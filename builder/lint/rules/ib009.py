"""EXPOSE with a host mapping or an upper-case protocol.

## What it does
Reports an `EXPOSE` port written with an IP address or host port (`0.0.0.0:80:80`, `8080:80`:
BuildKit's `ExposeInvalidFormat`) or with a protocol not in lower case (`80/TCP`:
`ExposeProtoCasing`).

## Why is this bad?
`EXPOSE` documents the container's ports; publishing to the host is decided at `docker run`.
Docker ignores the mapping part, and newer versions reject it. Protocols are lower case.

## Example
```dockerfile
EXPOSE 0.0.0.0:8080:80 53/UDP
```

## Use instead
```dockerfile
EXPOSE 80 53/udp
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "EXPOSE":
            continue
        for port in instruction.arguments.split():
            if "$" in port:
                continue
            if ":" in port:
                yield RuleHit(
                    instruction.line,
                    f"EXPOSE '{port}' should not define an IP address or host port",
                )
            _, slash, protocol = port.partition("/")
            if slash and protocol != protocol.lower():
                yield RuleHit(
                    instruction.line,
                    f"EXPOSE '{port}': the protocol should be lower case",
                )


RULE = Rule(
    code="IB009",
    severity=Severity.WARNING,
    summary="EXPOSE with a host mapping or an upper-case protocol",
    check=check,
    explanation=__doc__ or "",
)
