"""DL3062: go packages without a version."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_go_install_without_version(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3062", "RUN go install example.com/pkg\n") == [1]


def test_catches_go_get_at_latest(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3062", "RUN go get example.com/pkg@latest\n") == [1]


def test_passes_pinned_version(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3062", "RUN go install example.com/pkg@v1.2.3\n") == []


def test_passes_local_packages(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines("DL3062", "RUN go install ./cmd/app && go install . && go get /go/src/x\n") == []
    )


def test_passes_program_arguments_of_go_run(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3062", "RUN go run example.com/pkg@v1.2.3 --foo bar\n") == []


def test_catches_onbuild_trigger(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL3062", "ONBUILD RUN go get example.com/pkg\n") == [1]
