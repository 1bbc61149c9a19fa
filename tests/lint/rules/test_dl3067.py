"""DL3067: copying a whole filesystem from another stage."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_root_to_root(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3067", "COPY --from=build / /\n") == [1]


def test_catches_quoted_root(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3067", 'COPY --from=build "/" "/"\n') == [1]


def test_passes_root_without_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3067", "COPY / /\n") == []


def test_passes_directory(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3067", "COPY --from=build /app /\n") == []


def test_passes_root_into_a_subdirectory(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3067", "COPY --from=build / /app\n") == []
