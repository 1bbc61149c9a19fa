"""IB010: stages nothing uses."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_stage_nothing_uses(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "IB010", "FROM a:1 AS test\nRUN x\nFROM a:1 AS build\nFROM b:1\nCOPY --from=build /a /a\n"
    ) == [1]


def test_catches_unnamed_unused_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB010", "FROM a:1\nFROM b:1\n") == [1]


def test_passes_stage_used_as_base(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB010", "FROM a:1 AS base\nFROM base\n") == []


def test_passes_stage_copied_by_index(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB010", "FROM a:1\nFROM b:1\nCOPY --from=0 /a /a\n") == []


def test_passes_stage_mounted(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines("IB010", "FROM a:1 AS src\nFROM b:1\nRUN --mount=from=src,target=/s ls /s\n")
        == []
    )


def test_passes_when_references_use_variables(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "IB010", "ARG S=x\nFROM a:1 AS x\nFROM a:1 AS y\nFROM b:1\nCOPY --from=${S} /a /a\n"
        )
        == []
    )
