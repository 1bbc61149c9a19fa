"""Undefined ARG in FROM, or an ARG default that makes an invalid image reference.

## What it does
Checks the variables of each `FROM` (image and `--platform`), which only global ARGs (those
before the first FROM) and the predefined platform args can set. Reports a variable that is
not a global ARG (BuildKit's `UndefinedArgInFrom`), and a FROM whose image, with the ARG
defaults filled in, is not a valid reference, such as `alpine:` from an ARG without a default
(`InvalidDefaultArgInFrom`).

## Why is this bad?
An undefined variable expands to nothing and the build pulls an image nobody meant, or fails
with a confusing error unless every caller passes the right `--build-arg`.

## Example
```dockerfile
ARG TAG
FROM alpine:${TAG}
```

## Use instead
```dockerfile
ARG TAG=3.20
FROM alpine:${TAG}
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, substitute
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.variables import PREDEFINED_ARGS, global_defaults, references, unquote
from builder.refs import parse_ref

# BuildKit sets the platform ARGs in every build: a value they might take stands in for them
# when checking that the reference is valid (`FROM base-${TARGETARCH}`).
_PLATFORM_EXAMPLE = {
    "TARGETPLATFORM": "linux/amd64",
    "TARGETOS": "linux",
    "TARGETARCH": "amd64",
    "TARGETVARIANT": "",
    "BUILDPLATFORM": "linux/amd64",
    "BUILDOS": "linux",
    "BUILDARCH": "amd64",
    "BUILDVARIANT": "",
}


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    defaults = global_defaults(dockerfile)
    for stage in dockerfile.stages:
        written = f"{stage.platform or ''} {stage.base}"
        undefined = sorted(
            {
                reference.name
                for reference in references(written, dockerfile.escape)
                if reference.name not in dockerfile.global_args
                and reference.name not in PREDEFINED_ARGS
                and not reference.handles_unset
            }
        )
        if undefined:
            names = ", ".join(f"'{name}'" for name in undefined)
            yield RuleHit(stage.line, f"FROM uses {names}, which no global ARG declares")
            continue
        if "$" not in stage.base:
            continue
        image = unquote(substitute(stage.base, _with_platform(defaults)))
        is_stage = dockerfile.stage_by_reference(image.lower(), stage.index) is not None
        if image.lower() != "scratch" and not is_stage and parse_ref(image) is None:
            yield RuleHit(
                stage.line,
                f"With the ARG defaults, FROM names '{image}', not a valid image reference",
            )


def _with_platform(defaults: dict[str, str]) -> dict[str, str]:
    """The defaults, with the platform ARGs that no default sets (an `ARG TARGETARCH` without
    one still gets BuildKit's value)."""
    values = dict(defaults)
    for name, example in _PLATFORM_EXAMPLE.items():
        values[name] = values.get(name) or example
    return values


RULE = Rule(
    code="IB006",
    severity=Severity.WARNING,
    summary="Undefined ARG in FROM, or an ARG default that makes an invalid image reference",
    check=check,
    explanation=__doc__ or "",
)
