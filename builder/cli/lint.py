"""`imgbuild lint`: options in, `builder.lint` called, exit code out.

Heavy work and imports happen inside the command, so linting one file starts fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

_FORMATS = ("text", "json", "sarif", "github", "checkstyle")
_THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="text",
    show_default=True,
    envvar="IMGBUILD_LINT_FORMAT",
    help="Output format (env IMGBUILD_LINT_FORMAT).",
)
@click.option(
    "--failure-threshold",
    type=click.Choice(_THRESHOLDS),
    envvar="IMGBUILD_LINT_FAILURE_THRESHOLD",
    help="Exit 1 only for findings at or above this level; default info "
    "(env IMGBUILD_LINT_FAILURE_THRESHOLD).",
)
@click.option(
    "--ignore",
    "ignore",
    multiple=True,
    metavar="CODE",
    envvar="IMGBUILD_LINT_IGNORE",
    help="Skip a rule; repeatable, added to the config's (env IMGBUILD_LINT_IGNORE, "
    "space-separated).",
)
@click.option(
    "--severity",
    "severity",
    multiple=True,
    metavar="CODE=LEVEL",
    envvar="IMGBUILD_LINT_SEVERITY",
    help="Report a rule at another level (error, warning, info, style, ignore); repeatable "
    "(env IMGBUILD_LINT_SEVERITY, space-separated).",
)
@click.option(
    "--trusted-registry",
    "trusted_registries",
    multiple=True,
    metavar="REGISTRY",
    envvar="IMGBUILD_LINT_TRUSTED_REGISTRIES",
    help="Allow FROM images only from these registries (DL3026); repeatable "
    "(env IMGBUILD_LINT_TRUSTED_REGISTRIES, space-separated).",
)
@click.option(
    "--strict-labels/--no-strict-labels",
    default=None,
    envvar="IMGBUILD_LINT_STRICT_LABELS",
    help="Report labels not in the label schema (env IMGBUILD_LINT_STRICT_LABELS).",
)
@click.option(
    "--disable-ignore-pragma/--enable-ignore-pragma",
    default=None,
    envvar="IMGBUILD_LINT_DISABLE_IGNORE_PRAGMA",
    help="Disregard `# hadolint ignore=` / `# imgbuild ignore=` comments "
    "(env IMGBUILD_LINT_DISABLE_IGNORE_PRAGMA).",
)
@click.option(
    "--no-fail/--fail",
    "no_fail",
    default=None,
    envvar="IMGBUILD_LINT_NO_FAIL",
    help="Exit 0 even when findings are over the threshold (env IMGBUILD_LINT_NO_FAIL).",
)
@click.option(
    "-c",
    "--config",
    "hadolint_config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="IMGBUILD_LINT_CONFIG",
    help="A .hadolint.yaml to use; default: found in . or a parent (env IMGBUILD_LINT_CONFIG).",
)
@click.option(
    "--fix",
    is_flag=True,
    envvar="IMGBUILD_LINT_FIX",
    help="Rewrite files in place with the mechanical fixes (env IMGBUILD_LINT_FIX).",
)
@click.option(
    "--diff",
    is_flag=True,
    envvar="IMGBUILD_LINT_DIFF",
    help="Print the fixes as a unified diff instead of writing them; exit 1 if there are any "
    "(env IMGBUILD_LINT_DIFF).",
)
@click.option(
    "--list-rules",
    is_flag=True,
    help="List every rule: code, default severity, whether it can fix, summary.",
)
@click.option("--explain", metavar="CODE", help="Explain a rule, with a bad and a good example.")
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
