"""EXPOSE with an IP address or a host port.

## What it does
Reports an `EXPOSE` port written with an IP address or a host port (`0.0.0.0:8080:80`,
`8080:80`), its variables expanded. This is BuildKit's `ExposeInvalidFormat` check, reported as
`docker build --check` does; IB025 reports a protocol not in lower case.

## Why is this bad?
`EXPOSE` documents the container's ports; publishing to the host is decided at `docker run`.
Docker ignores the mapping part, and a future release will reject it.

## Example
```dockerfile
EXPOSE 0.0.0.0:8080:80
```

## Use instead
```dockerfile
EXPOSE 80
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity
from builder.lint.ports import exposed_ports


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for port in exposed_ports(dockerfile):
        if port.maps_host:
            yield RuleHit(
                port.instruction.line,
                "EXPOSE instruction should not define an IP address or host-port mapping, "
                f"found '{port.written}'",
            )


RULE = Rule(
    code="IB009",
    severity=Severity.WARNING,
    summary="EXPOSE with an IP address or a host port",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("ExposeInvalidFormat"),
)
