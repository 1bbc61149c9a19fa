"""Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.

## What it does
Reports every comment that silences rules for the next instruction: `# hadolint ignore=...` or
`# imgbuild ignore=...`. Off by default; turn it on with `--severity DL1001=warning` (or in
`.hadolint.yaml`: `override: {warning: [DL1001]}`). Stage and global pragmas are not reported.

## Why is this bad?
Some teams want every exception to live in one reviewed place (the lint config) rather than
scattered through Dockerfiles, where an ignore outlives the reason it was added.

## Example
```dockerfile
# hadolint ignore=DL3008
RUN apt-get install -y curl
```

## Use instead
```dockerfile
RUN apt-get install -y curl=7.88.1-10+deb12u5
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.pragmas import Scope, parse_pragma


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for comment in dockerfile.comments:
        pragma = parse_pragma(comment.text)
        if pragma is not None and pragma.scope is Scope.LINE:
            yield RuleHit(comment.line)


RULE = Rule(
    code="DL1001",
    severity=Severity.IGNORE,
    summary="Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.",
    check=check,
    explanation=__doc__ or "",
)
