"""Lint a project: settings and targets resolved, then lint or fix them. Prints nothing.

`open_session` resolves the settings (command line over imgbuild.toml's [lint] over
.hadolint.yaml) and the targets (the paths given, else the images of imgbuild.toml, else the
current directory); `LintSession.lint()` returns the report, `LintSession.fix()` the fixes and
the report after them. `builder.cli.lint` turns these into output and an exit code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from builder.errors import UsageError
from builder.lint.model import LintContext
from builder.lint.runner import FileReport, Linter, LintReport, LintTarget
from builder.lint.settings import LintSettings, PartialSettings, resolve_settings

if TYPE_CHECKING:
    from builder.config import Config


class FileFix(NamedTuple):  # NamedTuples: cheaper to define at every lint's start
    """One file the fixes changed: its text before and after."""

    display: str
    before: str
    after: str
    applied: int  # problems fixed in it


class FixReport(NamedTuple):
    changes: tuple[FileFix, ...]
    report: LintReport  # the findings left after the fixes

    @property
    def fixed(self) -> int:
        return sum(change.applied for change in self.changes)


# Said once when ShellCheck is on but not installed: the SC checks are skipped, not failed.
SHELLCHECK_MISSING = (
    "ShellCheck is not installed, so RUN scripts are not checked (SC codes): install "
    "`shellcheck` or `pip install 'imgbuild[shellcheck]'`, or turn it off with --no-shellcheck"
)


class LintSession(NamedTuple):
    settings: LintSettings
    linter: Linter
    targets: tuple[LintTarget, ...]
    notices: tuple[str, ...] = ()  # for the user, once, beside the report

    def lint(self) -> LintReport:
        return LintReport(tuple(self.linter.lint_targets(self.targets)))

    def fix(self, *, write: bool) -> FixReport:
        """Apply the mechanical fixes; with `write`, replace the files (atomically)."""
        from builder.files import write_atomically
        from builder.lint.fixes import fix_text

        files: list[FileReport] = []
        changes: list[FileFix] = []
        for target in self.targets:
            report = self.linter.lint_target(target)
            if report.error is not None or target.path is None or target.render is not None:
                files.append(report)
                continue
            context = self.linter.base_context._replace(path=target.path)
            result = fix_text(self.linter, report.text, target.display, context)
            if result.text != report.text:
                changes.append(FileFix(target.display, report.text, result.text, result.applied))
                if write:
                    write_atomically(target.path, result.text)
            files.append(FileReport(target, result.text, result.findings))
        return FixReport(tuple(changes), LintReport(tuple(files)))


def open_session(
    paths: Sequence[Path],
    command_line: PartialSettings,
    *,
    config_file: str | None = None,
    hadolint_config: Path | None = None,
) -> LintSession:
    config = _config(config_file)
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
    shellcheck = None
    if settings.shellcheck:
        from builder.lint.shellcheck import find_shellcheck

        shellcheck = find_shellcheck()
    notices = (SHELLCHECK_MISSING,) if settings.shellcheck and shellcheck is None else ()
    linter = Linter(settings, base, shellcheck=shellcheck)
    return LintSession(settings, linter, tuple(targets), notices)


def _config(config_file: str | None) -> Config | None:
    """The config named with -f (which must exist), else the nearest imgbuild.toml, else None.
    The loader is imported only when there is a file to load."""
    from builder.config.find import find_config, nearest_config

    path = find_config(explicit=config_file) if config_file is not None else nearest_config()
    if path is None:
        return None
    from builder.config.load import load_config

    return load_config(path, check_paths=False)
