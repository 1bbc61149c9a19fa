"""MAINTAINER is deprecated

## What it does
Reports the `MAINTAINER` instruction. Fixable: `--fix` rewrites it as
`LABEL maintainer="..."`, the replacement Docker documents.
IB018 reports the same ground as BuildKit's `MaintainerDeprecated` does (with BuildKit's
message): ignore one of the two to avoid a double report (see the README's lint section).

## Why is this bad?
`MAINTAINER` has been deprecated since Docker 1.13; its value only lands in the image's
`Author` field, which tools no longer read. A label is visible to `docker inspect` and
registries alike.

## Example
```dockerfile
MAINTAINER Jane Doe <jane@example.com>
```

## Use instead
```dockerfile
LABEL maintainer="Jane Doe <jane@example.com>"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import Edit, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "MAINTAINER":
            yield RuleHit(instruction.line, fix=_as_label(instruction))


def _as_label(instruction: Instruction) -> Edit:
    indent = instruction.text[: len(instruction.text) - len(instruction.text.lstrip(" \t"))]
    keyword = "label" if instruction.written_keyword.islower() else "LABEL"
    value = " ".join(instruction.arguments.split())
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return Edit(
        instruction.line, instruction.end_line, f'{indent}{keyword} maintainer="{escaped}"\n'
    )


RULE = Rule(
    code="DL4000",
    severity=Severity.ERROR,
    summary="MAINTAINER is deprecated",
    check=check,
    explanation=__doc__ or "",
    fixable=True,
)
