"""Do not use --platform flag with FROM.

## What it does
Reports a FROM with a fixed `--platform` (`--platform=linux/amd64`). A platform taken from a
variable (`--platform=$BUILDPLATFORM`) is not reported: that is how cross-builds are written.
IB024 reports the same ground as BuildKit's `FromPlatformFlagConstDisallowed` does (not when the
stage is named for the platform): ignore one of the two to avoid a double report (see the
README's lint section).

## Why is this bad?
A fixed platform makes the image build for that platform whatever the builder asks for, which
breaks multi-platform builds and surprises people on other machines.

## Example
```dockerfile
FROM --platform=linux/amd64 debian:12
```

## Use instead
```dockerfile
FROM debian:12
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "FROM":
            continue
        platform = instruction.flag("platform")
        if platform and "$" not in platform:
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3029",
    severity=Severity.WARNING,
    summary="Do not use --platform flag with FROM",
    check=check,
    explanation=__doc__ or "",
)
