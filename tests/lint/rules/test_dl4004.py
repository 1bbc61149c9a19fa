"""DL4004: several ENTRYPOINTs in a stage."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_second_entrypoint(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4004", "FROM debian\nENTRYPOINT bash\nRUN foo\nENTRYPOINT another\n") == [
        4
    ]


def test_passes_one_entrypoint_per_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines("DL4004", "FROM debian AS a\nENTRYPOINT bash\nFROM debian AS b\nENTRYPOINT x\n")
        == []
    )


def test_passes_single_entrypoint(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4004", "ENTRYPOINT /bin/true\n") == []
