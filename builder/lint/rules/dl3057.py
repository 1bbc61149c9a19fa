"""`HEALTHCHECK` instruction missing.

## What it does
Reports an image the file produces without a `HEALTHCHECK` of its own or inherited from the
stage it is built on. Stages that only feed other stages (used as a base or copied from) are
not images of their own. Off by default, as in hadolint: enable it with `--severity DL3057=info`.

## Why is this bad?
Without a health check, an orchestrator only knows that the process runs, not that it serves.

## Example
```dockerfile
FROM nginx:1.27
```

## Use instead
```dockerfile
FROM nginx:1.27
HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    good: set[int] = set()
    feeds: set[int] = set()
    for stage in dockerfile.stages:
        parent = dockerfile.stage_by_reference(stage.base, stage.index)
        if parent is not None:
            feeds.add(parent.index)
            if parent.index in good:
                good.add(stage.index)
        for instruction in stage.instructions:
            if instruction.keyword == "HEALTHCHECK":
                good.add(stage.index)
            source = instruction.flag("from") if instruction.keyword in ("COPY", "ADD") else None
            copied = dockerfile.stage_by_reference(source, stage.index) if source else None
            if copied is not None:
                feeds.add(copied.index)
    for stage in dockerfile.stages:
        if stage.index not in good and stage.index not in feeds:
            yield RuleHit(stage.line)


RULE = Rule(
    code="DL3057",
    severity=Severity.IGNORE,
    summary="`HEALTHCHECK` instruction missing.",
    check=check,
    explanation=__doc__ or "",
)
