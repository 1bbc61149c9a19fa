"""MAINTAINER is deprecated.

## What it does
Reports every `MAINTAINER` instruction. This is BuildKit's `MaintainerDeprecated` check,
reported as `docker build --check` does, also above a line Docker cannot parse. hadolint's
DL4000 reports the same lines (and can fix them): keep one of the two (see the README's lint
section).

## Why is this bad?
MAINTAINER sets a field of the image config that nothing reads any more; the authors belong in
the `org.opencontainers.image.authors` label, which registries and scanners show.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import BuildkitCheck, CheckPhase, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "MAINTAINER":
            yield RuleHit(
                instruction.line, "Maintainer instruction is deprecated in favor of using label"
            )


RULE = Rule(
    code="IB018",
    severity=Severity.WARNING,
    summary="MAINTAINER is deprecated",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("MaintainerDeprecated", CheckPhase.INSTRUCTIONS),
)
