"""An ARG or ENV name says it holds a secret.

## What it does
Reports an `ENV` (its name expanded) or a stage's `ARG` whose name has one of the words
`apikey`, `auth`, `credential(s)`, `key`, `password`, `pword`, `passwd`, `secret` or `token`
as a whole `_`-separated part, in any case (`DB_PASSWORD`, `auth`, `GIT_KEY`), unless another
part is `public`, `file` or `version` (`PUBLIC_KEY`, `PASSWORD_FILE`). This is BuildKit's
`SecretsUsedInArgOrEnv` check, reported as `docker build --check` does. hadolint's DL3064
looks for other words (`private`, `username`, ... as any part of the name): keep one of the two
(see the README's lint section).

## Why is this bad?
ENV values are stored in the image configuration, and ARG values in its build history: anyone
who can pull the image can read them.

## Example
```dockerfile
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
```

## Use instead
```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import arg_pairs, go_quoted, name_values
from builder.lint.dispatch import expansion, steps
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity

_SECRET_RE = re.compile(
    r"(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)"
    r"(?:_|$)",
    re.IGNORECASE,
)
_ALLOWED_RE = re.compile(r"(?:_|^)(?:public|file|version)(?:_|$)", re.IGNORECASE)


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for step in steps(dockerfile):
        instruction = step.instruction
        if instruction.keyword == "ARG":
            names = [name for name, _ in arg_pairs(instruction.arguments, dockerfile.escape)]
        elif instruction.keyword == "ENV":
            pairs = name_values(instruction.arguments, dockerfile.escape) or []
            expanded = [expansion(pair.name, step.env, dockerfile.escape) for pair in pairs]
            names = [name.result for name in expanded if name is not None]
        else:
            continue
        for name in names:
            if _SECRET_RE.search(name) and not _ALLOWED_RE.search(name):
                yield RuleHit(
                    instruction.line,
                    "Do not use ARG or ENV instructions for sensitive data "
                    f"({instruction.keyword} {go_quoted(name)})",
                )


RULE = Rule(
    code="IB022",
    severity=Severity.WARNING,
    summary="An ARG or ENV name says it holds a secret",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("SecretsUsedInArgOrEnv"),
)
