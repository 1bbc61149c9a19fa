"""DL3059: consecutive one-command RUNs."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_two_consecutive_runs(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3059", "FROM a:1\nRUN /foo.sh\nRUN /bar.sh\n") == [3]


def test_catches_runs_separated_by_comments(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3059", "FROM a:1\nRUN /foo.sh\n# a comment\nRUN /bar.sh\n") == [4]


def test_passes_runs_separated_by_an_instruction(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3059", "FROM a:1\nRUN /foo.sh\nWORKDIR /\nRUN /bar.sh\n") == []


def test_passes_runs_with_different_mounts(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3059", "FROM a:1\nRUN --mount=type=secret,id=a x\nRUN y\n") == []


def test_passes_chained_commands(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3059", "FROM a:1\nRUN foo && bar\nRUN baz\n") == []


def test_counts_a_heredoc_as_one_run(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3059", "FROM a:1\nRUN <<EOF\nfoo\nEOF\nRUN bar\n") == [5]


def test_passes_heredoc_of_several_commands(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3059", "FROM a:1\nRUN <<EOF\nfoo\nbar\nEOF\nRUN baz\n") == []
