"""COPY or ADD of a file that .dockerignore excludes.

## What it does
Reports a `COPY`/`ADD` source from the build context that the context's `.dockerignore`
excludes (BuildKit's `CopyIgnoredFile`). Sources with wildcards or variables, and copies from
other stages or images, are not checked. Quiet when no `.dockerignore` applies.

## Why is this bad?
The file is not sent to the builder, so the build fails with "not found", or, with a
wildcard or a directory, silently copies less than the author expects.

## Example
```dockerfile
# .dockerignore: *.md
COPY README.md /usr/share/doc/app/
```

## Use instead
```dockerfile
# .dockerignore: *.md and !README.md
COPY README.md /usr/share/doc/app/
```
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runscript import argument_words

_GLOB_CHARS = frozenset("*?[")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    is_ignored = context.is_ignored
    if is_ignored is None:
        return
    for instruction in dockerfile.instructions:
        if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") is not None:
            continue
        if instruction.heredocs:
            continue
        for source in argument_words(instruction.arguments)[:-1]:
            path = _context_path(source)
            if path is not None and is_ignored(path):
                yield RuleHit(
                    instruction.line,
                    f'Attempting to copy "{source}", which .dockerignore excludes',
                )


def _context_path(source: str) -> str | None:
    """The context-relative path of a plain local source, or None when it cannot be known."""
    if "://" in source or source.startswith("git@") or "$" in source:
        return None
    if any(char in _GLOB_CHARS for char in source):
        return None
    path = posixpath.normpath("/" + source).lstrip("/")
    return path or None


RULE = Rule(
    code="IB008",
    severity=Severity.WARNING,
    summary="COPY or ADD of a file that .dockerignore excludes",
    check=check,
    explanation=__doc__ or "",
)
