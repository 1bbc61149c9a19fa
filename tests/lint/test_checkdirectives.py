"""BuildKit's check directives: parsed as BuildKit parses them, applied after the rules run."""

from __future__ import annotations

import pytest

from builder.dockerfile import parse_dockerfile
from builder.lint.checkdirectives import (
    CheckOptionError,
    CheckOptions,
    parse_check_options,
    read_checks,
)
from builder.lint.model import BuildkitCheck, Severity
from builder.lint.runner import PARSE_ERROR_CODE, Linter
from builder.lint.settings import LintSettings

PER_INSTRUCTION = BuildkitCheck("JSONArgsRecommended")
WHOLE_FILE = BuildkitCheck("ConsistentInstructionCasing", per_instruction=False)


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("", CheckOptions()),
        ("skip=all", CheckOptions(skip_all=True)),
        ("skip=A, B", CheckOptions(skip=frozenset({"A", "B"}))),
        (" skip = A ;error=true", CheckOptions(skip=frozenset({"A"}), error=True)),
        ("error=1", CheckOptions(error=True)),
        ("error=False", CheckOptions()),
        ("skip=all;skip=A", CheckOptions(skip=frozenset({"A"}), skip_all=True)),
        ("experimental=all", CheckOptions()),
    ],
)
def test_options_parse_as_buildkit_parses_them(text: str, options: CheckOptions) -> None:
    assert parse_check_options(text) == options


@pytest.mark.parametrize("text", ["skip", "error=yes", "skipp=A", "skip=A;error"])
def test_options_buildkit_refuses(text: str) -> None:
    with pytest.raises(CheckOptionError):
        parse_check_options(text)


def _checks(text: str, override: str | None = None) -> tuple[bool, bool]:
    """(JSONArgsRecommended reported on line 3?, ConsistentInstructionCasing on line 3?)"""
    checks = read_checks(parse_dockerfile(text), override)
    return checks.reports(PER_INSTRUCTION, 3), checks.reports(WHOLE_FILE, 3)


@pytest.mark.parametrize(
    ("text", "reported"),
    [
        ("FROM a\n\nCMD x\n", (True, True)),
        ("# check=skip=JSONArgsRecommended\nFROM a\nCMD x\n", (False, True)),
        ("#check=skip=all\nFROM a\nCMD x\n", (False, False)),
        ("# CHECK = skip=all\nFROM a\nCMD x\n", (False, False)),
        ("# syntax=docker/dockerfile:1\n# check=skip=all\nCMD x\n", (False, False)),
        ("#!/usr/bin/env docker\n# check=skip=all\nCMD x\n", (False, False)),
        ("\n# check=skip=all\nCMD x\n", (False, True)),  # not at the top: that instruction's
        ("FROM a\n# check=skip=all\nCMD x\n", (False, True)),
        ("FROM a\n# check=skip=all // why\nCMD x\n", (False, True)),
        ("FROM a\n# check=skip=ConsistentInstructionCasing\nCMD x\n", (True, True)),
        ("# check=skip=all\n#\nCMD x\n", (False, False)),
        ("FROM a\n# check=skip=all\n#\nCMD x\n", (True, True)),  # an empty comment ends them
        ("# check=skip=JSONArgsRecommended\n# check=skip=all\nCMD x\n", (False, True)),
        ("FROM a\n  # check=skip=all\nCMD x\n", (True, True)),  # indented: BuildKit misreads it
    ],
)
def test_where_directives_reach(text: str, reported: tuple[bool, bool]) -> None:
    assert _checks(text) == reported


def test_the_build_arg_replaces_the_top_directive() -> None:
    assert _checks("# check=skip=all\nFROM a\nCMD x\n", "skip=Other") == (True, True)
    assert _checks("FROM a\n\nCMD x\n", "skip=all") == (False, False)
    assert _checks("FROM a\n# check=skip=all\nCMD x\n", "") == (False, True)


def test_an_instruction_comment_cannot_set_error() -> None:
    checks = read_checks(parse_dockerfile("FROM a\n# check=error=true\nCMD x\n"))
    assert checks.options.error is False


def test_a_top_directive_buildkit_refuses_is_a_problem_on_its_line() -> None:
    checks = read_checks(parse_dockerfile("# syntax=x\n# check=skip\nFROM a\n"))
    assert checks.problem == (2, "failed to parse check options: invalid check option 'skip'")


LINTER = Linter(LintSettings())


def _codes(text: str) -> list[tuple[int, str, Severity]]:
    return [(f.line, f.code, f.severity) for f in LINTER.lint_text(text)]


def test_directives_leave_other_rules_alone() -> None:
    assert (3, "DL4000", Severity.ERROR) in _codes("#check=skip=all\nFROM a:1\nMAINTAINER me\n")
    assert not [c for c in _codes("#check=skip=all\nFROM a:1\nMAINTAINER me\n") if c[1] == "IB018"]


def test_error_true_makes_buildkit_findings_errors_only() -> None:
    found = _codes("# check=error=true\nFROM a:1\nMAINTAINER me\n")
    assert (3, "IB018", Severity.ERROR) in found
    assert (3, "DL4000", Severity.ERROR) in found
    assert LINTER.lint_text("# check=error=true\nFROM a:1 as b\n")[0].severity is Severity.ERROR


def test_refused_top_directive_is_dl1000_and_buildkit_reports_nothing() -> None:
    found = _codes("# check=skip=all;bogus=1\nFROM a:1 as b\nMAINTAINER me\n")
    assert (1, PARSE_ERROR_CODE, Severity.ERROR) in found
    assert not [code for _, code, _ in found if code in ("IB002", "IB018")]
    assert (3, "DL4000", Severity.ERROR) in found


def test_upper_case_directive_applies_in_the_linter() -> None:
    assert not [c for c in _codes("# CHECK=skip=all\nFROM a:1 as b\n") if c[1] == "IB002"]


def test_refused_top_directive_respects_an_ignored_dl1000() -> None:
    linter = Linter(LintSettings(ignored=frozenset({PARSE_ERROR_CODE})))
    assert [f.code for f in linter.lint_text("# check=bogus\nFROM a:1 as b\n")] == []


def test_skip_above_the_later_instruction_covers_the_earlier_line() -> None:
    text = 'FROM a:1\nCMD ["a"]\n# check=skip=MultipleInstructionsDisallowed\nCMD ["b"]\n'
    assert not [code for _, code, _ in _codes(text) if code == "IB020"]
    assert (2, "IB020", Severity.WARNING) in _codes('FROM a:1\nCMD ["a"]\nCMD ["b"]\n')


def test_parse_error_keeps_what_buildkit_reports_before_it() -> None:
    text = "FROM a:1 AS Build\nRUN a \\\n\n  b\nBADCMD\nMAINTAINER me\nFROM b AS Late\n"
    assert _codes(text) == [
        (1, "IB001", Severity.STYLE),
        (4, "IB007", Severity.WARNING),
        (5, PARSE_ERROR_CODE, Severity.ERROR),
    ]
