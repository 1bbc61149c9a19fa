"""`COPY --from` cannot reference its own `FROM` alias.

## What it does
Reports a `COPY --from=NAME` inside the stage that NAME names.

## Why is this bad?
A stage cannot copy from itself: its files are not built yet. Docker rejects the build.

## Example
```dockerfile
FROM node:20 AS build
COPY --from=build /app/dist /srv/
```

## Use instead
```dockerfile
FROM node:20 AS build
RUN npm run build
FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html/
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "COPY" or instruction.stage < 0:
            continue
        source = instruction.flag("from")
        stage = dockerfile.stages[instruction.stage]
        if source and stage.name is not None and source.lower() == stage.name:
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3023",
    severity=Severity.ERROR,
    summary="`COPY --from` cannot reference its own `FROM` alias",
    check=check,
    explanation=__doc__ or "",
)
