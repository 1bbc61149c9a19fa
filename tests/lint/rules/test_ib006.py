"""IB006: undefined or invalid ARGs in FROM."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_variable_without_global_arg(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "FROM alpine:${TAG}\n") == [1]


def test_catches_arg_declared_after_from(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "FROM alpine:3.20\nARG TAG=1\nFROM alpine:${TAG}\n") == [3]


def test_catches_default_making_invalid_reference(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "ARG TAG\nFROM alpine:${TAG}\n") == [2]


def test_passes_arg_with_default(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "ARG TAG=3.20\nFROM alpine:${TAG}\n") == []


def test_passes_whole_image_from_arg(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "ARG BASE=debian:12\nFROM ${BASE}\n") == []


def test_passes_predefined_platform(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "FROM --platform=$BUILDPLATFORM alpine:3.20\n") == []


def test_passes_default_form(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "FROM alpine:${TAG:-3.20}\n") == []


def test_passes_automatic_platform_args_in_image(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "FROM base-${TARGETOS}-${TARGETARCH}${TARGETVARIANT}\n") == []


def test_passes_platform_arg_declared_without_default(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB006", "ARG TARGETARCH\nFROM base-${TARGETARCH}\n") == []
