"""Label `<label>` is not a valid git hash.

## What it does
With a `label-schema` configured, reports a LABEL instruction that sets a label of type `hash`
to something other than a lower-case git commit hash, short (7) or full (40 characters).

## Why is this bad?
The revision label is how an image is traced back to the commit it was built from; a branch
name or a truncated hash of another length cannot be resolved reliably.

## Example
```dockerfile
# label-schema: {org.opencontainers.image.revision: hash}
LABEL org.opencontainers.image.revision="main"
```

## Use instead
```dockerfile
LABEL org.opencontainers.image.revision="43c572f1272b6b3171dd1db9e41b7027128ce080"
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.labelschema import bad_label_hits
from builder.lint.model import LintContext, Rule, RuleHit, Severity

_GIT_HASH_RE = re.compile(r"^(?:[0-9a-f]{7}|[0-9a-f]{40})$")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    return bad_label_hits(
        dockerfile,
        context,
        "hash",
        _is_not_git_hash,
        "Label `<label>` is not a valid git hash.",
    )


def _is_not_git_hash(value: str) -> bool:
    return _GIT_HASH_RE.match(value) is None


RULE = Rule(
    code="DL3055",
    severity=Severity.WARNING,
    summary="Label `<label>` is not a valid git hash.",
    check=check,
    explanation=__doc__ or "",
)
