"""IB012: downloads piped into a shell."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_curl_into_sh(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB012", "FROM a:1\nRUN curl -fsSL https://x.org/i.sh | sh\n") == [2]


def test_catches_wget_into_sudo_bash(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "IB012", "FROM a:1\nRUN wget -qO- https://x.org/i.sh | sudo bash -s -- -y\n"
    ) == [2]


def test_catches_curl_into_python(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB012", "FROM a:1\nRUN curl -sSL https://x.org/get.py | python3 -\n") == [2]


def test_catches_shell_running_a_substitution(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB012", 'FROM a:1\nRUN sh -c "$(curl -fsSL https://x.org/i.sh)"\n') == [2]


def test_catches_process_substitution(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB012", "FROM a:1\nRUN bash <(curl -fsSL https://x.org/i.sh)\n") == [2]


def test_passes_curl_into_tar(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB012", "FROM a:1\nRUN curl -fsSL https://x.org/a.tgz | tar -xz\n") == []


def test_passes_download_then_run(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines("IB012", "FROM a:1\nRUN curl -fsSLo i.sh https://x.org/i.sh && sh i.sh\n") == []
    )
