"""DL4003: several CMDs in a stage."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_second_cmd(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4003", "FROM debian\nCMD bash\nRUN foo\nCMD another\n") == [4]


def test_passes_one_cmd_per_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4003", "FROM debian AS a\nCMD bash\nFROM debian AS b\nCMD another\n") == []


def test_passes_single_cmd(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4003", "CMD /bin/true\n") == []
