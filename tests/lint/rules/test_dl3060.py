"""DL3060: yarn install without yarn cache clean."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_install_without_clean(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3060", "FROM node:20\nRUN yarn install\n") == [2]


def test_catches_clean_before_install(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3060", "FROM node:20\nRUN yarn cache clean && yarn install\n") == [2]


def test_passes_install_then_clean(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3060", "FROM node:20\nRUN yarn install && yarn cache clean\n") == []


def test_passes_cache_mount_on_yarn_cache(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL3060", "FROM node:20\nRUN --mount=type=cache,target=/root/.cache/yarn yarn install\n"
        )
        == []
    )


def test_passes_cache_mount_on_yarn_berry_cache(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL3060", "FROM node:20\nRUN --mount=type=cache,target=/src/.yarn/cache yarn install\n"
        )
        == []
    )


def test_catches_cache_mount_elsewhere(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "DL3060", "FROM node:20\nRUN --mount=type=cache,target=/var/lib/x yarn install\n"
    ) == [2]


def test_passes_stage_that_is_not_an_image(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines("DL3060", "FROM node:20 AS deps\nRUN yarn install\nFROM scratch\nRUN x\n") == []
    )


def test_catches_stage_built_upon(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3060", "FROM node:20 AS deps\nRUN yarn install\nFROM deps\nRUN x\n") == [2]


def test_catches_onbuild_trigger(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3060", "FROM node:20\nONBUILD RUN yarn install\n") == [2]
