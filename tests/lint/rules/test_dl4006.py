"""DL4006: pipes without pipefail."""

from __future__ import annotations

from collections.abc import Callable


def test_catches_pipe_without_pipefail(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN wget -O - https://x | wc -l > /n\n") == [2]


def test_passes_commands_without_pipes(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN wget -O - https://x && wc -l f\n") == []


def test_passes_or_operator(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN a || b\n") == []


def test_passes_quoted_bar(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", 'FROM scratch\nRUN echo "a | b"\n') == []


def test_passes_case_patterns(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN case $a in x|y) echo ;; esac\n") == []


def test_catches_pipe_in_command_substitution(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", 'FROM scratch\nRUN x="$(ls | wc -l)"\n') == [2]


def test_passes_bash_with_pipefail(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL4006", 'FROM scratch\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a | b\n'
        )
        == []
    )


def test_passes_bash_by_another_path(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL4006", 'FROM scratch\nSHELL ["/usr/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\n'
        )
        == []
    )


def test_catches_plain_sh_even_with_the_option(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "DL4006", 'FROM scratch\nSHELL ["/bin/sh", "-o", "pipefail", "-c"]\nRUN a | b\n'
    ) == [3]


def test_catches_next_stage_without_shell(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "DL4006",
        'FROM scratch AS a\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN a | b\nFROM scratch\nRUN a | b\n',
    ) == [5]


def test_passes_powershell(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL4006", 'FROM scratch\nSHELL ["pwsh", "-c"]\nRUN Get-Variable | Select-Object\n'
        )
        == []
    )


def test_passes_script_setting_pipefail_first(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN set -euo pipefail; a | b\n") == []


def test_passes_heredoc_setting_pipefail_first(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN <<EOF\nset -o pipefail\na | b\nEOF\n") == []


def test_catches_pipe_before_set_pipefail(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN a | b; set -o pipefail\n") == [2]


def test_passes_heredoc_of_another_language(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN python3 <<EOF\nx = a | b\nEOF\n") == []


def test_passes_case_patterns_after_do(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines("DL4006", "FROM scratch\nRUN for a in x; do case $a in x|y) :;; esac; done\n")
        == []
    )


def test_passes_case_patterns_after_then(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("DL4006", "FROM scratch\nRUN if :; then case $a in x|y) :;; esac; fi\n") == []


def test_passes_windows_image_without_shell(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL4006",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command Get-Item x | Select-Object\n",
        )
        == []
    )


def test_passes_nanoserver_image_without_shell(rule_lines: Callable[..., list[int]]) -> None:
    assert (
        rule_lines(
            "DL4006",
            "FROM mcr.microsoft.com/powershell:nanoserver-1809\nRUN pwsh -Command Get-Item x | Select-Object\n",
        )
        == []
    )


def test_catches_stage_after_windows_stage(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines(
        "DL4006", "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nFROM debian:12\nRUN a | b\n"
    ) == [3]
