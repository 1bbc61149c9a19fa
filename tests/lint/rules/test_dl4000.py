"""DL4000: MAINTAINER."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_maintainer(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4000", "FROM busybox\nMAINTAINER hudu@mail.com\n") == [2]


def test_passes_without_maintainer(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4000", "FROM debian\nLABEL maintainer=x\n") == []


def test_fix_rewrites_maintainer_as_label(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("DL4000", "FROM busybox\nMAINTAINER Jane Doe <jane@x.org>\n")
    assert fixed == 'FROM busybox\nLABEL maintainer="Jane Doe <jane@x.org>"\n'
    assert rule_lines("DL4000", fixed) == []


def test_fix_escapes_quotes_and_keeps_lower_case(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("DL4000", 'from busybox\nmaintainer Jane "JD" Doe\n')
    assert fixed == 'from busybox\nlabel maintainer="Jane \\"JD\\" Doe"\n'
    assert rule_lines("DL4000", fixed) == []


def test_fix_joins_a_continued_maintainer(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]]
) -> None:
    fixed = rule_fix("DL4000", "FROM busybox\nMAINTAINER Jane \\\n  Doe\nRUN x\n")
    assert fixed == 'FROM busybox\nLABEL maintainer="Jane Doe"\nRUN x\n'
    assert rule_lines("DL4000", fixed) == []
