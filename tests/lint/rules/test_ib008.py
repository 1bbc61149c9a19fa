"""IB008: COPY or ADD of a file that .dockerignore excludes."""

from __future__ import annotations

from collections.abc import Callable


def _ignored(path: str) -> bool:
    return path.endswith(".md") or path.startswith("secrets/")


def test_catches_copy_of_ignored_file(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB008", "FROM a:1\nCOPY README.md /doc/\n", is_ignored=_ignored) == [2]


def test_catches_normalised_path(rule_lines: Callable[..., list[int]]) -> None:
    text = "FROM a:1\nADD ./secrets/../secrets/k /k\n"
    assert rule_lines("IB008", text, is_ignored=_ignored) == [2]


def test_passes_file_not_ignored(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB008", "FROM a:1\nCOPY app.py /app/\n", is_ignored=_ignored) == []


def test_passes_copy_from_another_stage(rule_lines: Callable[..., list[int]]) -> None:
    text = "FROM a:1\nCOPY --from=build /README.md /doc/\n"
    assert rule_lines("IB008", text, is_ignored=_ignored) == []


def test_passes_wildcards_and_variables(rule_lines: Callable[..., list[int]]) -> None:
    text = "FROM a:1\nCOPY *.md ${DOC}.md /doc/\n"
    assert rule_lines("IB008", text, is_ignored=_ignored) == []


def test_is_quiet_without_dockerignore(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB008", "FROM a:1\nCOPY README.md /doc/\n") == []
