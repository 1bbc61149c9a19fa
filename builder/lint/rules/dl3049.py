"""Label `<label>` is missing.

## What it does
With a `label-schema` configured, checks that every image the file produces carries each
label of the schema. A stage inherits labels from the stage it is built `FROM`; a stage whose
result is only copied from (`COPY --from`) or built upon by a labelled stage is not an output
and needs no labels.

## Why is this bad?
Teams use labels for ownership, provenance and licensing. An image without a required label
cannot be traced back to its source or its owner.

## Example
```dockerfile
# label-schema: {maintainer: email}
FROM debian:12
```

## Use instead
```dockerfile
FROM debian:12
LABEL maintainer="team@example.com"
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.refs import split_ref


class _Stages:
    """hadolint's bookkeeping: stages known to carry the label, and stages still missing it."""

    def __init__(self) -> None:
        self.good: set[int] = set()
        self.bad: set[int] = set()


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for label in context.label_schema:
        for line in _missing(dockerfile, label):
            yield RuleHit(line, f"Label `{label}` is missing.")


def _missing(dockerfile: Dockerfile, label: str) -> list[int]:
    stages = _Stages()
    for stage in dockerfile.stages:
        base_name = split_ref(stage.base).repository
        if any(dockerfile.stages[index].name == base_name.lower() for index in stages.good):
            stages.good.add(stage.index)
        else:
            stages.bad.add(stage.index)
        own_name = stage.name or base_name.lower()
        for instruction in stage.instructions:
            if instruction.keyword in ("COPY", "ADD"):
                source = instruction.flag("from")
                if source:
                    _silence(dockerfile, stages, source.lower())
            elif instruction.keyword == "LABEL" and any(
                key == label for key, _ in key_value_pairs(instruction.arguments)
            ):
                _silence(dockerfile, stages, own_name)
                stages.good.add(stage.index)
                stages.bad.discard(stage.index)
    return sorted(dockerfile.stages[index].line for index in stages.bad)


def _silence(dockerfile: Dockerfile, stages: _Stages, alias: str) -> None:
    """Stages named `alias` feed another stage, so they are not outputs of their own."""
    stages.bad -= {index for index in stages.bad if dockerfile.stages[index].name == alias}


RULE = Rule(
    code="DL3049",
    severity=Severity.INFO,
    summary="Label `<label>` is missing.",
    check=check,
    explanation=__doc__ or "",
)
