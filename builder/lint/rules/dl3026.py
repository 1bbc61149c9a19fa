"""Use only an allowed registry in the FROM image.

## What it does
With `trustedRegistries` configured, reports a FROM, `COPY --from` or `RUN --mount=from=` image
from a registry not in the list. Entries may use wildcards (`*.example.com`, `*`); images without
a registry come from Docker Hub, allowed by `docker.io` or `hub.docker.com`. Stages of the same
file and `scratch` are always allowed. Without the setting the rule reports nothing.

## Why is this bad?
Images from unvetted registries are a supply-chain risk; teams that mirror or approve images
want every base to come from their own registries.

## Example
```dockerfile
# trustedRegistries: [registry.example.com]
FROM randomuser/debian:12
```

## Use instead
```dockerfile
FROM registry.example.com/mirror/debian:12
```
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.refs import names_registry


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    allowed = context.trusted_registries
    if not allowed:
        return
    for instruction in dockerfile.instructions:
        before = max(instruction.stage, 0)
        for image in _images(dockerfile, instruction):
            is_stage = dockerfile.stage_by_reference(image, before=before) is not None
            if not is_stage and not _is_allowed(image, allowed):
                yield RuleHit(instruction.line)
                break


def _images(dockerfile: Dockerfile, instruction: Instruction) -> Iterator[str]:
    if instruction.keyword == "FROM" and instruction.stage >= 0:
        yield dockerfile.resolved_base(dockerfile.stages[instruction.stage], {})
    elif instruction.keyword in ("COPY", "ADD"):
        source = instruction.flag("from")
        if source and not source.isdigit():
            yield source
    elif instruction.keyword == "RUN":
        for mount in instruction.flag_values("mount"):
            for part in mount.split(","):
                key, _, value = part.partition("=")
                if key == "from" and value:
                    yield value


def _is_allowed(image: str, allowed: tuple[str, ...]) -> bool:
    if image.lower() == "scratch":
        return True
    if names_registry(image):
        host = image.partition("/")[0]
        return any(fnmatch.fnmatchcase(host, pattern) for pattern in allowed)
    return any(pattern in ("docker.io", "hub.docker.com", "*") for pattern in allowed)


RULE = Rule(
    code="DL3026",
    severity=Severity.ERROR,
    summary="Use only an allowed registry in the FROM image",
    check=check,
    explanation=__doc__ or "",
)
