"""What the label-schema rules (DL3049-DL3058) share: finding schema labels with bad values.

The schema (`label-schema` in .hadolint.yaml) maps a label name to a type: text, url, hash,
rfc3339, semver, spdx or email. Each typed rule checks the labels of its type and reports one
finding per LABEL instruction and label, naming the label, as hadolint does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from builder.dockerfile import Dockerfile
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import LintContext, RuleHit


def bad_label_hits(
    dockerfile: Dockerfile,
    context: LintContext,
    label_type: str | None,
    is_bad: Callable[[str], bool],
    message: str,
) -> Iterator[RuleHit]:
    """A hit for each LABEL setting a schema label of `label_type` (None: any) to a bad value.

    `message` contains `<label>`, replaced by the label's name.
    """
    labels = [
        name
        for name, kind in context.label_schema.items()
        if label_type is None or kind.lower() == label_type
    ]
    if not labels:
        return
    for instruction in dockerfile.instructions:
        if instruction.keyword != "LABEL":
            continue
        pairs = key_value_pairs(instruction.arguments)
        for label in labels:
            if any(key == label and is_bad(value) for key, value in pairs):
                yield RuleHit(instruction.line, message.replace("<label>", label))
