"""The IB rules that carry `buildkit` against BuildKit's own test cases (`buildkit_cases.py`):
on every case, those rules together report exactly the warnings `docker build --check` does,
check by check, line by line, message by message, under the case's check directives."""

from __future__ import annotations

import pytest

from builder.dockerignore import DockerIgnore
from builder.lint.model import LintContext, Severity
from builder.lint.registry import load_rules
from builder.lint.runner import PARSE_ERROR_CODE, Linter
from builder.lint.settings import LintSettings

from .buildkit_cases import ALL_CHECKS, CASES, NOT_MIRRORED, Case

MIRRORED = {rule.code: rule.buildkit.name for rule in load_rules() if rule.buildkit}


def _lint(case: Case) -> list[tuple[str, int, str, Severity]]:
    dockerignore = None
    if case.dockerignore is not None:
        ignore = DockerIgnore.from_text(case.dockerignore)
        dockerignore = lambda: ignore  # noqa: E731
    context = LintContext(dockerignore=dockerignore, check_option=case.check_option)
    findings = Linter(LintSettings()).lint_text(case.dockerfile, "Dockerfile", context)
    return [
        (MIRRORED.get(f.code, f.code), f.line, f.message, f.severity)
        for f in findings
        if f.code in MIRRORED or f.code == PARSE_ERROR_CODE
    ]


@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c.test}" for i, c in enumerate(CASES)])
def test_rules_report_what_buildkit_reports(case: Case) -> None:
    found = _lint(case)
    reported = sorted((check, line, message) for check, line, message, _ in found)
    expected = sorted(
        (w.check, w.line, w.detail) for w in case.warnings if w.check not in NOT_MIRRORED
    )
    if case.parse_error is not None:
        expected.append((PARSE_ERROR_CODE, case.parse_error, _message(found, case.parse_error)))
        expected.sort()
    assert reported == expected
    levels = {severity for check, _, _, severity in found if check != PARSE_ERROR_CODE}
    if case.error_level:
        assert levels == {Severity.ERROR}
    else:
        assert Severity.ERROR not in levels


def _message(found: list[tuple[str, int, str, Severity]], line: int) -> str:
    return next((m for c, n, m, _ in found if c == PARSE_ERROR_CODE and n == line), "<none>")


def test_every_check_but_two_has_exactly_one_rule() -> None:
    names = sorted(MIRRORED.values())
    assert len(names) == len(set(names)), "two rules claim one BuildKit check"
    assert set(names) == ALL_CHECKS - NOT_MIRRORED


def test_every_mirrored_check_is_held_to_a_case_that_reports_it() -> None:
    reported = {w.check for case in CASES for w in case.warnings}
    assert set(MIRRORED.values()) <= reported
