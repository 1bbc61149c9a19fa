"""DL3049: a schema label missing from an image."""

from __future__ import annotations

from collections.abc import Callable

CONTEXT = {"label_schema": {"foo": "text"}}


def test_catches_single_stage_without_the_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3049", "FROM debian:12\nLABEL other=x\n", **CONTEXT) == [1]


def test_passes_single_stage_with_the_label(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3049", "FROM debian:12\nLABEL foo=bar\n", **CONTEXT) == []


def test_catches_each_unlabelled_output_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3049", "FROM a:1\nFROM b:1\n", **CONTEXT) == [1, 2]


def test_passes_stage_inheriting_a_labelled_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3049", "FROM a:1 AS base\nLABEL foo=x\nFROM base\n", **CONTEXT) == []


def test_passes_stage_only_copied_from(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL3049",
            "FROM a:1 AS build\nFROM b:1\nLABEL foo=x\nCOPY --from=build /x /x\n",
            **CONTEXT,
        )
        == []
    )


def test_catches_unconnected_unlabelled_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3049", "FROM a:1 AS build\nFROM b:1\nLABEL foo=x\n", **CONTEXT) == [1]


def test_names_the_missing_label(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("DL3049", "FROM debian:12\n", **CONTEXT) == ["Label `foo` is missing."]
