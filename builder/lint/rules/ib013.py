"""ADD of a URL without `--checksum`.

## What it does
Reports `ADD https://...` (or `http://`) without `--checksum=sha256:...`. Git sources are
left alone: pin those to a commit.

## Why is this bad?
The file is whatever the server returns at build time: builds are not reproducible, and a
compromised or changed download goes into the image unnoticed. With `--checksum`, BuildKit
verifies it and fails the build when it changes.

## Example
```dockerfile
ADD https://example.com/tool-1.2.3.tar.gz /tmp/
```

## Use instead
```dockerfile
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    https://example.com/tool-1.2.3.tar.gz /tmp/
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runscript import argument_words


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "ADD" or instruction.flag("checksum"):
            continue
        if instruction.heredocs:
            continue
        for source in argument_words(instruction.arguments)[:-1]:
            if _is_http_file(source):
                yield RuleHit(instruction.line, f"ADD of '{source}' without --checksum")
                break


def _is_http_file(source: str) -> bool:
    lowered = source.lower()
    if not lowered.startswith(("http://", "https://")):
        return False
    path = lowered.split("#", 1)[0].split("?", 1)[0]
    return not path.endswith(".git") and "#" not in lowered


RULE = Rule(
    code="IB013",
    severity=Severity.WARNING,
    summary="ADD of a URL without `--checksum`",
    check=check,
    explanation=__doc__ or "",
)
