"""COPY or ADD of a file that .dockerignore excludes.

## What it does
Reports a `COPY`/`ADD` source from the build context (variables expanded, wildcards taken
literally) that the context's `.dockerignore` excludes, itself or through a parent directory;
`COPY . .` when `.dockerignore` excludes everything (`*`, `**`). Like BuildKit, it says nothing
when `.dockerignore` has `!` exceptions, which make a static answer unreliable. Copies from
other stages or images, URLs and git sources are not checked. This is BuildKit's
`CopyIgnoredFile` check, reported as `docker build --check` does.

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
from typing import TYPE_CHECKING

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import copy_sources, go_quoted
from builder.lint.dispatch import expansion, steps
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity

if TYPE_CHECKING:
    from builder.dockerignore import DockerIgnore

# Patterns that exclude every entry of the context, its root included.
_EVERYTHING = frozenset({"*", "**", "**/*"})


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    if context.dockerignore is None:
        return
    ignore: DockerIgnore | None = None
    for step in steps(dockerfile):
        instruction = step.instruction
        if instruction.keyword not in ("COPY", "ADD") or instruction.flag("from") is not None:
            continue
        sources = copy_sources(instruction)
        if sources is None:
            continue
        if ignore is None:
            ignore = context.dockerignore()
            if not ignore.patterns or ignore.has_exclusions:
                return
        verb = "Add" if instruction.keyword == "ADD" else "Copy"
        for written in sources.paths:
            expanded = expansion(written, step.env, dockerfile.escape)
            if expanded is None:
                break
            source = expanded.result
            if "://" in source or source.startswith("git@"):
                continue
            path = posixpath.normpath(source) if source else "."
            if _excluded(ignore, path):
                yield RuleHit(
                    instruction.line,
                    f"Attempting to {verb} file {go_quoted(path)} that is excluded by "
                    ".dockerignore",
                )


def _excluded(ignore: DockerIgnore, path: str) -> bool:
    if path in (".", "/"):
        return any(p.text in _EVERYTHING for p in ignore.patterns if not p.exclusion)
    return not path.startswith("/") and ignore.is_ignored(path)


RULE = Rule(
    code="IB008",
    severity=Severity.WARNING,
    summary="COPY or ADD of a file that .dockerignore excludes",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("CopyIgnoredFile"),
)
