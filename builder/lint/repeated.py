"""Instructions that only count once per stage (CMD, ENTRYPOINT, HEALTHCHECK)."""

from __future__ import annotations

from builder.dockerfile import Dockerfile


def repeated_in_stage(dockerfile: Dockerfile, keyword: str) -> list[int]:
    """The lines of every `keyword` instruction after the first one of its stage."""
    lines: list[int] = []
    seen: set[int] = set()
    for instruction in dockerfile.instructions:
        if instruction.keyword != keyword:
            continue
        if instruction.stage in seen:
            lines.append(instruction.line)
        seen.add(instruction.stage)
    return lines
