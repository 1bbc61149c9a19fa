"""A second CMD, ENTRYPOINT or HEALTHCHECK in a stage makes the first one dead.

## What it does
Reports a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later one of the same stage replaces,
on the earlier one: the one Docker ignores. This is BuildKit's
`MultipleInstructionsDisallowed` check, reported as `docker build --check` does (a
`# check=skip=...` above the later instruction turns it off, as in BuildKit). hadolint's DL4003,
DL4004 and DL3012 report the same pairs on the later instruction: keep one side (see the
README's lint section).

## Why is this bad?
Only the last one of a stage takes effect; the others are dead text that a reader takes for
what the container runs.

## Example
```dockerfile
FROM nginx:1.27
ENTRYPOINT ["/docker-entrypoint.sh"]
COPY entrypoint.sh /
ENTRYPOINT ["/entrypoint.sh"]
```

## Use instead
```dockerfile
FROM nginx:1.27
COPY entrypoint.sh /
ENTRYPOINT ["/entrypoint.sh"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity

_ONCE = frozenset({"CMD", "ENTRYPOINT", "HEALTHCHECK"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for stage in dockerfile.stages:
        last: dict[str, Instruction] = {}
        for instruction in stage.instructions:
            if instruction.keyword not in _ONCE:
                continue
            earlier = last.get(instruction.keyword)
            if earlier is not None:
                yield RuleHit(
                    earlier.line,
                    f"Multiple {instruction.written_keyword} instructions should not be used in "
                    "the same stage because only the last one will be used",
                    origin=instruction.line,
                )
            last[instruction.keyword] = instruction


RULE = Rule(
    code="IB020",
    severity=Severity.WARNING,
    summary="A second CMD, ENTRYPOINT or HEALTHCHECK in a stage makes the first one dead",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("MultipleInstructionsDisallowed"),
)
