"""DL4005: replacing /bin/sh with ln."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_link_to_bin_sh(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4005", "RUN ln -sfv /bin/bash /bin/sh\n") == [1]


def test_catches_onbuild_trigger(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4005", "ONBUILD RUN ln -sfv /bin/bash /bin/sh\n") == [1]


def test_passes_unrelated_links(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4005", "RUN ln -sf /bin/true /sbin/initctl\n") == []


def test_passes_bin_sh_as_another_commands_argument(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4005", "RUN ln -s foo bar && something_with /bin/sh\n") == []
