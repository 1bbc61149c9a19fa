"""`imgbuild lint`: options in, `builder.lint.session` called, the report and exit code out.

Heavy work and imports happen inside the command, so linting one file starts fast. This module
imports no click: `imgbuild lint FILE...` with the few options of `fast_values` runs without it
(`builder.cli.run`), and the click command, for everything else, is made when the CLI's group
asks for it (`lint`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.cli import echo, startup_done
from builder.errors import ExitCode
from builder.lint.formatnames import FORMATS
from builder.lint.settings import THRESHOLDS

if TYPE_CHECKING:
    import click

    from builder.lint.runner import LintReport
    from builder.lint.session import LintSession
    from builder.lint.settings import LintSettings, PartialSettings


def __getattr__(name: str) -> Any:
    if name == "lint":  # the click command (COMMANDS in builder.cli)
        return _command()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _command() -> click.Command:
    import click

    from builder.cli.options import options
    from builder.cli.values import config_file

    @click.command(context_settings={"help_option_names": ["-h", "--help"]})
    @click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
    @options(
        "lint.format",
        "lint.failure_threshold",
        "lint.ignore",
        "lint.severity",
        "lint.trusted_registries",
        "lint.strict_labels",
        "lint.disable_ignore_pragma",
        "lint.no_fail",
        "lint.shellcheck",
        "lint.buildkit_check",
        "lint.config",
        "lint.fix",
        "lint.diff",
        "lint.list_rules",
        "lint.explain",
    )
    @click.pass_context
    def lint(ctx: click.Context, /, paths: tuple[Path, ...], fmt: str, **values: Any) -> int:
        """Lint Dockerfiles with hadolint-compatible (DL) and imgbuild (IB) rules.

        PATHS are files, or directories searched for Dockerfile, Dockerfile.*, *.Dockerfile,
        *.dockerfile and Containerfile (respecting .gitignore). Without PATHS: the images of
        imgbuild.toml, else the current directory. Exit 0: nothing at or above the failure
        threshold; 1: something is; 2: bad usage or an unreadable file.
        """
        return run_lint(paths, fmt, config_file(ctx), **values)

    return lint


# The options `imgbuild lint` reads without click: flags, and options taking one of a few values
# (what editors and pre-commit pass, if anything). Any other argument starting with "-" (--help,
# --ignore, "--", ...), a value not among the choices, or one of the environment variables that
# set an option (a test holds the list to builder.cli.options) leaves the command line to click.
_FAST_FLAGS: dict[str, tuple[str, bool]] = {
    "--shellcheck": ("shellcheck", True),
    "--no-shellcheck": ("shellcheck", False),
    "--no-fail": ("no_fail", True),
    "--fail": ("no_fail", False),
    "--strict-labels": ("strict_labels", True),
    "--no-strict-labels": ("strict_labels", False),
    "--disable-ignore-pragma": ("disable_ignore_pragma", True),
    "--enable-ignore-pragma": ("disable_ignore_pragma", False),
    "--fix": ("fix", True),
    "--diff": ("diff", True),
}
_FAST_CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "--format": ("fmt", FORMATS),
    "--failure-threshold": ("failure_threshold", THRESHOLDS),
}
OPTION_VARIABLES = (
    "IMGBUILD_CONFIG",
    "IMGBUILD_LINT_FORMAT",
    "IMGBUILD_LINT_FAILURE_THRESHOLD",
    "IMGBUILD_LINT_IGNORE",
    "IMGBUILD_LINT_SEVERITY",
    "IMGBUILD_LINT_TRUSTED_REGISTRIES",
    "IMGBUILD_LINT_STRICT_LABELS",
    "IMGBUILD_LINT_DISABLE_IGNORE_PRAGMA",
    "IMGBUILD_LINT_NO_FAIL",
    "IMGBUILD_LINT_SHELLCHECK",
    "IMGBUILD_LINT_BUILDKIT_CHECK",
    "IMGBUILD_LINT_CONFIG",
    "IMGBUILD_LINT_FIX",
    "IMGBUILD_LINT_DIFF",
)
# What click gives `run_lint` for an option not on the command line.
_DEFAULTS: dict[str, Any] = {
    "fmt": "text",
    "config_file": None,
    "failure_threshold": None,
    "ignore": (),
    "severity": (),
    "trusted_registries": (),
    "strict_labels": None,
    "disable_ignore_pragma": None,
    "no_fail": None,
    "shellcheck": None,
    "buildkit_check": None,
    "hadolint_config": None,
    "fix": False,
    "diff": False,
    "list_rules": False,
    "explain": None,
}


def fast_values(args: Sequence[str]) -> dict[str, Any] | None:
    """`run_lint`'s arguments as click makes them from `imgbuild lint ARGS`, when ARGS hold only
    paths and the options above and no option's environment variable is set; else None."""
    if any(os.environ.get(name) for name in OPTION_VARIABLES):
        return None
    values = dict(_DEFAULTS)
    paths: list[Path] = []
    remaining = iter(args)
    for arg in remaining:
        if not arg.startswith("-"):
            paths.append(Path(arg))
        elif arg in _FAST_FLAGS:
            key, flag = _FAST_FLAGS[arg]
            values[key] = flag
        else:
            name, equals, value = arg.partition("=")
            if name not in _FAST_CHOICES:
                return None
            key, choices = _FAST_CHOICES[name]
            value = value if equals else next(remaining, "")
            if value not in choices:
                return None
            values[key] = value
    return {**values, "paths": tuple(paths)}


def run_lint(paths: tuple[Path, ...], fmt: str, config_file: str | None, **values: Any) -> int:
    """The command's work, from its options' values (click's, or `fast_values`')."""
    if values.pop("list_rules"):
        return _list_rules(fmt)
    explain = values.pop("explain")
    if explain:
        return _explain(explain)
    from builder.lint.session import open_session

    session = open_session(
        paths,
        _command_line(**{key: values.pop(key) for key in _SETTINGS}),
        config_file=config_file,
        hadolint_config=values.pop("hadolint_config"),
    )
    startup_done()
    for notice in session.notices:
        echo(f"imgbuild: notice: {notice}", err=True)
    if values["fix"] or values["diff"]:
        return _fix(session, fmt, write=not values["diff"])
    return _finish(session.lint(), fmt, session.settings)


_SETTINGS = (
    "failure_threshold",
    "ignore",
    "severity",
    "trusted_registries",
    "strict_labels",
    "disable_ignore_pragma",
    "no_fail",
    "shellcheck",
    "buildkit_check",
)


def _list_rules(fmt: str) -> int:
    from builder.lint.registry import load_rules

    rules = load_rules()
    if fmt == "json":
        import json

        rows = [
            {
                "code": rule.code,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "fixable": rule.fixable,
                # only on the rules that report exactly what this BuildKit check does
                **({"buildkit_check": rule.buildkit.name} if rule.buildkit else {}),
            }
            for rule in rules
        ]
        echo(json.dumps(rows, indent=2))
    else:
        for rule in rules:
            fix = "fix" if rule.fixable else "-"
            mirrors = f" (BuildKit: {rule.buildkit.name})" if rule.buildkit else ""
            echo(f"{rule.code:<7} {rule.severity.value:<8} {fix:<4} {rule.summary}{mirrors}")
    return int(ExitCode.OK)


def _explain(code: str) -> int:
    from builder.lint.registry import load_rule

    code = code.strip().upper()
    if re.fullmatch(r"SC\d{4}", code):
        from builder.lint.shellcheck import WIKI

        echo(f"{code}: a ShellCheck check, run over RUN scripts. See {WIKI.format(code=code)}")
        return int(ExitCode.OK)
    rule = load_rule(code)
    fixable = "fixable with --fix" if rule.fixable else "not fixable"
    echo(f"{rule.code} ({rule.severity.value}, {fixable}): {rule.summary}")
    if rule.buildkit:
        echo(f"Reports exactly BuildKit's check {rule.buildkit.name}: {rule.buildkit.url}")
    echo()
    echo(rule.explanation.strip())
    return int(ExitCode.OK)


def _command_line(
    failure_threshold: str | None,
    ignore: Sequence[str],
    severity: Sequence[str],
    trusted_registries: Sequence[str],
    strict_labels: bool | None,
    disable_ignore_pragma: bool | None,
    no_fail: bool | None,
    shellcheck: bool | None,
    buildkit_check: str | None,
) -> PartialSettings:
    """The options that override imgbuild.toml's [lint] and .hadolint.yaml."""
    from builder.lint.settings import (
        PartialSettings,
        parse_buildkit_check,
        parse_severity_option,
        parse_threshold,
    )

    threshold = parse_threshold(failure_threshold) if failure_threshold is not None else None
    return PartialSettings(
        ignored=frozenset(code.strip() for code in ignore if code.strip()),
        severity=dict(parse_severity_option(text) for text in severity),
        failure_threshold=threshold,
        trusted_registries=tuple(trusted_registries) or None,
        strict_labels=strict_labels,
        disable_ignore_pragma=disable_ignore_pragma,
        no_fail=no_fail,
        shellcheck=shellcheck,
        buildkit_check=parse_buildkit_check(buildkit_check, "--buildkit-check"),
    )


def _finish(report: LintReport, fmt: str, settings: LintSettings) -> int:
    from builder.lint.formats import render

    output = render(report, fmt)
    if output:
        echo(output, nl=False)
    _unreadable(report)
    if report.unreadable:
        return int(ExitCode.USAGE)
    if not settings.no_fail and report.fails(settings.failure_threshold):
        return int(ExitCode.FAILURE)
    return int(ExitCode.OK)


def _unreadable(report: LintReport) -> None:
    for file in report.unreadable:
        echo(f"imgbuild: error: {file.target.display}: {file.error}", err=True)


def _fix(session: LintSession, fmt: str, *, write: bool) -> int:
    from builder.lint.fixes import unified_diff

    result = session.fix(write=write)
    if not write:
        for change in result.changes:
            echo(unified_diff(change.before, change.after, change.display), nl=False)
        _unreadable(result.report)
        if result.report.unreadable:
            return int(ExitCode.USAGE)
        return int(ExitCode.FAILURE if result.changes else ExitCode.OK)
    changed = len(result.changes)
    noun = "file" if changed == 1 else "files"
    echo(f"imgbuild: fixed {result.fixed} problem(s) in {changed} {noun}", err=True)
    return _finish(result.report, fmt, session.settings)
