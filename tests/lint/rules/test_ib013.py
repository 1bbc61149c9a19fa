"""IB013: ADD of a URL without --checksum."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_https_url(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB013", "FROM a:1\nADD https://x.org/tool.tgz /tmp/\n") == [2]


def test_passes_with_checksum(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "IB013",
            "FROM a:1\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://x.org/t.tgz /tmp/\n",
        )
        == []
    )


def test_passes_git_source(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB013", "FROM a:1\nADD https://github.com/x/y.git#v1.0 /src\n") == []


def test_passes_local_file(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB013", "FROM a:1\nADD app.tar.gz /opt/\n") == []
