"""Potentially sensitive data should not be used in the `ARG` or `ENV` commands

## What it does
Reports an `ARG` or `ENV` whose name suggests a secret: it contains `password`, `secret`,
`token`, `private`, `api_key`, `aws_access_key_id` or `username` (in any case).
IB022 reports the same ground as BuildKit's `SecretsUsedInArgOrEnv` does (other words): ignore
one of the two to avoid a double report (see the README's lint section).

## Why is this bad?
ENV values are stored in the image configuration, and ARG values in its build history: anyone
who can pull the image can read them.

## Example
```dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, parse_arg
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.secrets import names_a_secret


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "ARG":
            names = list(parse_arg(instruction.arguments))
        elif instruction.keyword == "ENV":
            names = [key for key, _ in key_value_pairs(instruction.arguments)]
        else:
            continue
        if any(names_a_secret(name) for name in names):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3064",
    severity=Severity.WARNING,
    summary="Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
