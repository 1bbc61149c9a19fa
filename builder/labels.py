"""Image labels, written into the Dockerfile that is sent rather than passed as build options.

The classic builder turns each `labels=` entry of a build request into a step of its own (a
container created and committed per label); one LABEL instruction added to the built stage
carries them all in one step, and BuildKit treats it the same.
"""

from __future__ import annotations

from collections.abc import Mapping

from builder.dockerfile import Dockerfile


def with_labels(
    dockerfile: Dockerfile, text: str, labels: Mapping[str, str], target: str | None
) -> str:
    """`text` with one LABEL instruction at the end of the stage that is built."""
    if not labels or not dockerfile.stages:
        return text
    stage = dockerfile.stages[-1]
    if target is not None:
        stage = dockerfile.stage_by_reference(target) or stage
    end = max(instruction.end_line for instruction in stage.instructions)
    escape = dockerfile.escape
    pairs = " ".join(
        f"{_quote(key, escape)}={_quote(value, escape)}" for key, value in sorted(labels.items())
    )
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines.insert(min(end, len(lines)), f"LABEL {pairs}\n")
    return "".join(lines)


def _quote(value: str, escape: str) -> str:
    # Inside double quotes the builder expands $VAR and honours the escape character.
    escaped = "".join(escape + char if char in (escape, '"', "$") else char for char in value)
    return '"' + escaped.replace("\n", " ") + '"'
