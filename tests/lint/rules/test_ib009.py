"""IB009: EXPOSE mappings and protocol casing."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_host_mapping(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB009", "FROM a:1\nEXPOSE 0.0.0.0:80:80\n") == [2]


def test_catches_host_port(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB009", "FROM a:1\nEXPOSE 8080:80\n") == [2]


def test_catches_upper_case_protocol(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB009", "FROM a:1\nEXPOSE 80/TCP\n") == [2]


def test_passes_ports_with_protocols(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB009", "FROM a:1\nEXPOSE 80 53/udp 443/tcp\n") == []


def test_passes_variable(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB009", "FROM a:1\nEXPOSE ${PORT}\n") == []
