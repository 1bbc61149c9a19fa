"""`imgbuild lint`: options in, `builder.lint` called, exit code out.

Heavy work and imports happen inside the command, so linting one file starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from builder.cli.options import options


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
    "lint.config",
    "lint.fix",
    "lint.diff",
    "lint.list_rules",
    "lint.explain",
)
@click.pass_context
def lint(ctx: click.Context, /, paths: tuple[Path, ...], fmt: str, **options: Any) -> int:
    """Lint Dockerfiles with hadolint-compatible (DL) and imgbuild (IB) rules.

    PATHS are files, or directories searched for Dockerfile, Dockerfile.*, *.Dockerfile,
    *.dockerfile and Containerfile (respecting .gitignore). Without PATHS: the images of
    imgbuild.toml, else the current directory. Exit 0: nothing at or above the failure
    threshold; 1: something is; 2: bad usage or an unreadable file.
    """
    from builder.lint import command

    if options.pop("list_rules"):
        return command.list_rules(fmt)
    explain = options.pop("explain")
    if explain:
        return command.explain(explain)
    config_file = (ctx.obj or {}).get("config_file")
    return command.run_lint(paths, fmt, config_file=config_file, **options)
