"""The runner: ONBUILD view, pragmas, overrides, parse errors and failing rules."""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import Edit, LintContext, Rule, RuleHit, Severity
from builder.lint.runner import INTERNAL_CODE, PARSE_ERROR_CODE, Linter
from builder.lint.settings import LintSettings


def _every_run(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword == "RUN":
            yield RuleHit(instruction.line, fix=Edit(instruction.line, instruction.line, "RUN x\n"))


def _stages(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for stage in dockerfile.stages:
        yield RuleHit(stage.line, f"stage {stage.index}")
    if not dockerfile.stages:
        for instruction in dockerfile.instructions:
            yield RuleHit(instruction.line, "no stages")


def _broken(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    raise ZeroDivisionError("boom")
    yield RuleHit(1)  # pragma: no cover - makes this a generator


RUNS = Rule("XX0001", Severity.WARNING, "a RUN", _every_run, applies_in_onbuild=True)
RUNS_NOT_ONBUILD = Rule("XX0002", Severity.INFO, "a RUN, not in ONBUILD", _every_run)
STAGES = Rule("XX0003", Severity.STYLE, "a stage", _stages, applies_in_onbuild=True)
BROKEN = Rule("XX0004", Severity.ERROR, "broken", _broken)


def lint(text: str, *rules: Rule, **settings: object) -> list[tuple[int, str, str]]:
    linter = Linter(LintSettings(**settings), rules=rules)  # type: ignore[arg-type]
    return [(f.line, f.code, f.severity.value) for f in linter.lint_text(text)]


def test_onbuild_trigger_is_checked_as_the_instruction_it_wraps() -> None:
    text = "FROM debian:12\nONBUILD RUN sudo ls\nRUN ls\n"
    assert lint(text, RUNS) == [(2, "XX0001", "warning"), (3, "XX0001", "warning")]


def test_onbuild_is_not_checked_by_rules_that_do_not_apply_there() -> None:
    assert lint("FROM debian:12\nONBUILD RUN ls\n", RUNS_NOT_ONBUILD) == []


def test_onbuild_view_has_no_stages_and_keeps_lines() -> None:
    linter = Linter(LintSettings(), rules=[STAGES])
    findings = linter.lint_text("FROM a:1 AS x\n\nONBUILD  run ls\n")
    assert [(f.line, f.message) for f in findings] == [(1, "stage 0"), (3, "no stages")]


def test_onbuild_fix_keeps_the_onbuild_keyword() -> None:
    linter = Linter(LintSettings(), rules=[RUNS])
    findings = linter.lint_text("FROM a:1\nonbuild RUN ls\n")
    assert [f.fix for f in findings] == [Edit(2, 2, "onbuild RUN x\n")]


def test_a_failing_rule_is_one_internal_finding_and_others_still_run() -> None:
    assert lint("FROM a:1\nRUN ls\n", BROKEN, RUNS) == [
        (1, INTERNAL_CODE, "error"),
        (2, "XX0001", "warning"),
    ]


def test_unknown_instruction_is_a_parse_error_and_nothing_else() -> None:
    assert lint("FROM a:1\nRUN ls\nthis is not a Dockerfile\n", RUNS) == [
        (3, PARSE_ERROR_CODE, "error")
    ]


def test_binary_input_is_a_parse_error() -> None:
    assert lint("\x00\x01FROM", RUNS) == [(1, PARSE_ERROR_CODE, "error")]


def test_continuation_across_blank_lines_is_not_a_parse_error() -> None:
    assert lint("FROM a:1\nRUN foo \\\n\nbar\n", RUNS) == [(2, "XX0001", "warning")]


def test_severity_override_and_ignore_are_applied_after_the_rules() -> None:
    text = "FROM a:1\nRUN ls\n"
    overridden = {"XX0001": Severity.ERROR, "XX0002": Severity.IGNORE}
    assert lint(text, RUNS, RUNS_NOT_ONBUILD, severity=overridden) == [(2, "XX0001", "error")]
    assert lint(text, RUNS, RUNS_NOT_ONBUILD, ignored=frozenset({"XX0001"})) == [
        (2, "XX0002", "info")
    ]


def test_rule_off_by_default_runs_when_given_a_severity() -> None:
    off = Rule("XX0009", Severity.IGNORE, "off", _every_run)
    assert lint("RUN ls\n", off) == []
    assert lint("RUN ls\n", off, severity={"XX0009": Severity.STYLE}) == [(1, "XX0009", "style")]


def test_line_pragma_silences_only_the_next_instruction() -> None:
    text = "FROM a:1\n# hadolint ignore=XX0001\nRUN a \\\n  b\nRUN c\n"
    assert lint(text, RUNS) == [(5, "XX0001", "warning")]


def test_imgbuild_pragma_and_stacked_pragmas() -> None:
    text = "FROM a:1\n# imgbuild ignore=XX0002\n# hadolint ignore=XX0001\nRUN a\n"
    assert lint(text, RUNS, RUNS_NOT_ONBUILD) == []


def test_pragma_with_a_non_code_is_not_a_pragma() -> None:
    assert lint("FROM a:1\n# hadolint ignore=crazy,XX0001\nRUN a\n", RUNS) == [
        (3, "XX0001", "warning")
    ]


def test_pragma_separated_by_a_blank_line_does_not_apply() -> None:
    assert lint("FROM a:1\n# hadolint ignore=XX0001\n\nRUN a\n", RUNS) == [(4, "XX0001", "warning")]


def test_global_pragmas_both_spellings() -> None:
    text = "# hadolint global ignore=XX0001\nFROM a:1\nRUN a\n# imgbuild global ignore=XX0002\n"
    assert lint(text, RUNS, RUNS_NOT_ONBUILD) == []


def test_stage_pragma_reaches_the_end_of_its_stage() -> None:
    text = "# hadolint stage ignore=XX0001\nFROM a:1\nRUN a\nFROM b:1\nRUN b\n"
    assert lint(text, RUNS) == [(5, "XX0001", "warning")]


def test_stage_pragma_above_the_second_from() -> None:
    text = "FROM a:1\nRUN a\n# hadolint stage ignore=XX0001\nFROM b:1\nRUN b\n"
    assert lint(text, RUNS) == [(2, "XX0001", "warning")]


def test_disable_ignore_pragma_keeps_everything() -> None:
    text = "# hadolint global ignore=XX0001\nFROM a:1\nRUN a\n"
    assert lint(text, RUNS, disable_ignore_pragma=True) == [(3, "XX0001", "warning")]
