"""FROM uses an ARG that is not declared.

## What it does
Reports a variable in a `FROM` line (its image or its `--platform`) that no global ARG (one
before the first FROM) declares and that is not one of the platform ARGs BuildKit always sets
(`TARGETPLATFORM`, `TARGETOS`, `TARGETARCH`, `TARGETVARIANT`, `BUILDPLATFORM`, ... and
`TARGETSTAGE`), with a near name suggested. `${NAME:-default}` is reported too: NAME is still
undeclared. This is BuildKit's `UndefinedArgInFrom` check, reported as `docker build --check`
does. IB023 checks what the declared ARGs' defaults make of the image.

## Why is this bad?
An undeclared variable expands to nothing, and build args cannot set it: the build pulls an
image nobody meant, or fails with a confusing error.

## Example
```dockerfile
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

from builder.dockerfile import Dockerfile
from builder.lint.dispatch import global_args
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity
from builder.lint.nearnames import closest
from builder.lint.shellwords import ExpansionError, expand


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    globals_ = global_args(dockerfile)
    known = sorted(globals_.declared | set(globals_.values))
    for stage in dockerfile.stages:
        for word in (stage.base, stage.platform):
            if not word:
                continue
            try:
                unmatched = expand(word, globals_.values, dockerfile.escape).unmatched
            except ExpansionError:
                return  # BuildKit fails the build here
            for name in unmatched:
                if name in known:
                    continue
                message = f"FROM argument '{name}' is not declared"
                suggestion = closest(name, known)
                if suggestion:
                    message += f" (did you mean {suggestion}?)"
                yield RuleHit(stage.line, message)


RULE = Rule(
    code="IB006",
    severity=Severity.WARNING,
    summary="FROM uses an ARG that is not declared",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("UndefinedArgInFrom"),
)
