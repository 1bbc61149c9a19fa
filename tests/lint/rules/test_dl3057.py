"""DL3057: an image without HEALTHCHECK."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_image_without_healthcheck(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3057", "FROM scratch\n") == [1]


def test_passes_disabled_healthcheck(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3057", "FROM scratch\nHEALTHCHECK NONE\n") == []


def test_passes_inherited_healthcheck(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3057", "FROM scratch AS base\nHEALTHCHECK CMD /bin/x\nFROM base\n") == []


def test_catches_branch_without_healthcheck(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "DL3057", "FROM scratch AS a\nFROM a AS b\nHEALTHCHECK NONE\nFROM a AS c\n"
    ) == [4]


def test_catches_unrelated_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3057", "FROM scratch AS base\nHEALTHCHECK CMD /bin/x\nFROM scratch\n") == [
        3
    ]
