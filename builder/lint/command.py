"""The work of `imgbuild lint`, as plain functions of typed values returning an exit code.

`builder.cli.lint` only parses options; this module resolves settings and targets, lints,
fixes, prints and decides the exit code (0 clean, 1 findings at or above the threshold or fixes
pending under --diff, 2 bad usage or an unreadable file).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.errors import ConfigError, ExitCode, UsageError
from builder.lint.model import LintContext
from builder.lint.runner import FileReport, Linter, LintReport, LintTarget
from builder.lint.settings import (
    LintSettings,
    PartialSettings,
    parse_severity_option,
    parse_threshold,
    resolve_settings,
)

if TYPE_CHECKING:
    from builder.config import Config


def list_rules(fmt: str) -> int:
    from builder.lint.registry import load_rules

    rules = load_rules()
    if fmt == "json":
        rows = [
            {
                "code": rule.code,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "fixable": rule.fixable,
            }
            for rule in rules
        ]
        click.echo(json.dumps(rows, indent=2))
    else:
        for rule in rules:
            fix = "fix" if rule.fixable else "-"
            click.echo(f"{rule.code:<7} {rule.severity.value:<8} {fix:<4} {rule.summary}")
    return int(ExitCode.OK)


def explain(code: str) -> int:
    from builder.lint.registry import load_rule

    rule = load_rule(code.strip().upper())
    fixable = "fixable with --fix" if rule.fixable else "not fixable"
    click.echo(f"{rule.code} ({rule.severity.value}, {fixable}): {rule.summary}\n")
    click.echo(rule.explanation.strip())
    return int(ExitCode.OK)


def run_lint(
    paths: Sequence[Path],
    fmt: str,
    *,
    config_file: str | None = None,
    failure_threshold: str | None = None,
    ignore: Sequence[str] = (),
    severity: Sequence[str] = (),
    trusted_registries: Sequence[str] = (),
    strict_labels: bool | None = None,
    disable_ignore_pragma: bool | None = None,
    no_fail: bool | None = None,
    hadolint_config: Path | None = None,
    fix: bool = False,
    diff: bool = False,
) -> int:
    config = _config(config_file)
    command_line = _command_line(
        failure_threshold, ignore, severity, trusted_registries,
        strict_labels, disable_ignore_pragma, no_fail,
    )  # fmt: skip
    if hadolint_config is not None and not hadolint_config.is_file():
        raise UsageError("lint config not found", path=hadolint_config)
    settings = resolve_settings(
        start=Path.cwd(),
        hadolint_config=hadolint_config,
        toml=config.lint if config else None,
        command_line=command_line,
    )
    from builder.lint import targets as target_module

    if paths:
        targets = target_module.path_targets(paths)
    elif config is not None:
        targets = target_module.config_targets(config)
    else:
        targets = target_module.path_targets([Path(".")])
    base = LintContext(
        trusted_registries=settings.trusted_registries,
        label_schema=settings.label_schema,
        strict_labels=settings.strict_labels,
        graph_tags=target_module.graph_tags(config) if config else {},
    )
    linter = Linter(settings, base)
    if fix or diff:
        return _fix(linter, targets, fmt, settings, write=not diff)
    report = LintReport(tuple(linter.lint_target(target) for target in targets))
    return _finish(report, fmt, settings)


def _config(config_file: str | None) -> Config | None:
    from builder.config import find_config, load_config

    try:
        path = find_config(explicit=config_file)
    except ConfigError:
        if config_file is not None:
            raise
        return None
    return load_config(path, check_paths=False)


def _command_line(
    failure_threshold: str | None,
    ignore: Sequence[str],
    severity: Sequence[str],
    trusted_registries: Sequence[str],
    strict_labels: bool | None,
    disable_ignore_pragma: bool | None,
    no_fail: bool | None,
) -> PartialSettings:
    values: dict[str, object] = {
        "ignored": frozenset(code.strip() for code in ignore if code.strip()),
        "severity": dict(parse_severity_option(text) for text in severity),
    }
    if failure_threshold is not None:
        values["failure_threshold"] = parse_threshold(failure_threshold)
    if trusted_registries:
        values["trusted_registries"] = tuple(trusted_registries)
    for key, flag in (
        ("strict_labels", strict_labels),
        ("disable_ignore_pragma", disable_ignore_pragma),
        ("no_fail", no_fail),
    ):
        if flag is not None:
            values[key] = flag
    return PartialSettings(values)


def _finish(report: LintReport, fmt: str, settings: LintSettings) -> int:
    from builder.lint.formats import render

    output = render(report, fmt)
    if output:
        click.echo(output, nl=False)
    for file in report.unreadable:
        click.echo(f"imgbuild: error: {file.target.display}: {file.error}", err=True)
    if report.unreadable:
        return int(ExitCode.USAGE)
    if not settings.no_fail and report.fails(settings.failure_threshold):
        return int(ExitCode.FAILURE)
    return int(ExitCode.OK)


def _fix(
    linter: Linter, targets: list[LintTarget], fmt: str, settings: LintSettings, *, write: bool
) -> int:
    from builder.lint.fixes import fix_text, unified_diff

    files: list[FileReport] = []
    changed = 0
    fixed = 0
    for target in targets:
        report = linter.lint_target(target)
        if report.error is not None or target.path is None or target.render is not None:
            files.append(report)
            continue
        result = fix_text(linter, report.text, target.display, _context(linter, target))
        if result.text != report.text:
            changed += 1
            fixed += result.applied
            if write:
                _write(target.path, result.text)
            else:
                click.echo(unified_diff(report.text, result.text, target.display), nl=False)
        files.append(FileReport(target, result.text, result.findings))
    if not write:
        for file in files:
            if file.error is not None:
                click.echo(f"imgbuild: error: {file.target.display}: {file.error}", err=True)
        if any(file.error for file in files):
            return int(ExitCode.USAGE)
        return int(ExitCode.FAILURE if changed else ExitCode.OK)
    noun = "file" if changed == 1 else "files"
    click.echo(f"imgbuild: fixed {fixed} problem(s) in {changed} {noun}", err=True)
    return _finish(LintReport(tuple(files)), fmt, settings)


def _context(linter: Linter, target: LintTarget) -> LintContext:
    from dataclasses import replace

    return replace(linter.base_context, path=target.path)


def _write(path: Path, text: str) -> None:
    """Replace the file atomically, keeping its permissions."""
    import tempfile

    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
