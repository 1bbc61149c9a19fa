"""Usage of an undefined variable.

## What it does
Reports a build-time variable reference (`$NAME`, `${NAME}` in COPY, ADD, ENV, LABEL,
WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL, ARG defaults) to a name that is neither an ARG
declared in the stage nor an ENV set in it or in the stages it builds on, nor a predefined
build arg (proxies, `TARGETPLATFORM`, ...). BuildKit's `UndefinedVar` check, made cautious:
a base image may set environment variables this file cannot see, so only stages built from
`scratch` (directly or through other stages) are checked. `${NAME:-default}` forms, which say
what happens when NAME is unset, are fine. RUN is left to the shell.

## Why is this bad?
An undefined variable expands to the empty string: `COPY app /opt/$APP_DIR/` silently copies
to `/opt/`. The usual cause is a global ARG not redeclared in the stage, or a typo.

## Example
```dockerfile
ARG VERSION=1.2.3
FROM scratch
COPY app-${VERSION} /app
```

## Use instead
```dockerfile
ARG VERSION=1.2.3
FROM scratch
ARG VERSION
COPY app-${VERSION} /app
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Stage, parse_arg
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.variables import PREDEFINED_ARGS, references

_EXPANDED = frozenset(
    {"ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR", "ARG"}
)
# Docker gives every Linux container a PATH when the image sets none.
_ALWAYS_SET = frozenset({"PATH"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    inherited: dict[int, set[str]] = {}  # stage -> the ENV names it passes on
    for stage in dockerfile.stages:
        environment = _environment_at_start(dockerfile, stage, inherited)
        if environment is None:
            continue
        known = set(PREDEFINED_ARGS) | environment
        for instruction in stage.instructions:
            if instruction.keyword in _EXPANDED:
                for reference in references(instruction.arguments, dockerfile.escape):
                    if not reference.handles_unset and reference.name not in known:
                        yield RuleHit(
                            instruction.line,
                            f"Usage of undefined variable '${reference.name}'",
                        )
                        known.add(reference.name)  # once per name and stage is enough
            if instruction.keyword == "ARG":
                known.update(parse_arg(instruction.arguments))
            elif instruction.keyword == "ENV":
                names = {key for key, _ in key_value_pairs(instruction.arguments)}
                known |= names
                environment |= names
        inherited[stage.index] = environment


def _environment_at_start(
    dockerfile: Dockerfile, stage: Stage, inherited: dict[int, set[str]]
) -> set[str] | None:
    """ENV names set when the stage starts, or None when its base image may set more."""
    if stage.base.lower() == "scratch":
        return set(_ALWAYS_SET)
    parent = dockerfile.stage_by_reference(stage.base.lower(), stage.index)
    if parent is None or parent.index not in inherited:
        return None
    return set(inherited[parent.index])


RULE = Rule(
    code="IB005",
    severity=Severity.WARNING,
    summary="Usage of an undefined variable",
    check=check,
    explanation=__doc__ or "",
)
