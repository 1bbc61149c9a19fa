"""Every option of every command, declared once with its environment variable.

`OPTIONS` is the one table: an option's flags, its environment variable, its help and its click
settings. Commands take options from it by name (`@option("jobs")`), so an option several
commands share (`-j`, `--engine`, `--set`, ...) is spelled, typed and documented in one place,
and `--help` shows each one's environment variable (click's `show_envvar`). A pipeline can set
everything through the environment; repeatable options take a space-separated list there
(`--template-dir`: the OS path separator). `REPORT_OPTIONS` are the few without one, and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from builder.lint.formatnames import FORMATS

F = TypeVar("F", bound=Callable[..., Any])

_PROGRESS = ("auto", "tty", "plain", "json")
_THRESHOLDS = ("error", "warning", "info", "style", "ignore", "none")


@dataclass(frozen=True)
class Option:
    flags: tuple[str, ...]  # the option's names, then the parameter name
    envvar: str
    help: str
    settings: Mapping[str, Any] = field(default_factory=dict)  # type, multiple, is_flag, ...


def _flag(*flags: str, envvar: str, help: str) -> Option:
    return Option(flags, envvar, help, {"is_flag": True})


def _tristate(flags: str, name: str, envvar: str, help: str) -> Option:
    """A --x/--no-x pair whose absence (None) means "as the config says"."""
    return Option((flags, name), envvar, help, {"default": None})


OPTIONS: dict[str, Option] = {
    # The group's own option.
    "config_file": Option(
        ("-f", "--file", "config_file"),
        "IMGBUILD_CONFIG",
        "The imgbuild.toml to use; default: found in . or a parent.",
        {"type": click.Path(dir_okay=False)},
    ),
    # Shared by several commands.
    "jobs": Option(
        ("-j", "--jobs", "jobs"),
        "IMGBUILD_JOBS",
        "Images built at once; default: the CPU count.",
        {"type": click.IntRange(min=1)},
    ),
    "engines": Option(
        ("--engine", "engines"),
        "IMGBUILD_ENGINES",
        "A Docker Engine URL (repeatable: a pool named e1, e2, ...); default: [engines] of the "
        "config, or DOCKER_HOST.",
        {"multiple": True, "metavar": "URL"},
    ),
    "registries": Option(
        ("--registry", "registries"),
        "IMGBUILD_REGISTRIES",
        "A registry to publish to, HOST[:PORT][/NAMESPACE] (repeatable); default: [publish] "
        "registries.",
        {"multiple": True},
    ),
    "progress": Option(
        ("--progress", "progress"),
        "IMGBUILD_PROGRESS",
        "How the build shows progress: a live view, plain lines or JSON events.",
        {"type": click.Choice(_PROGRESS), "default": "auto", "show_default": True},
    ),
    "metadata_file": Option(
        ("--metadata-file", "metadata_file"),
        "IMGBUILD_METADATA_FILE",
        "Write the outcome as JSON: per image its status, ID, tags and digest (build), or its "
        "registry digest and pushed/skipped/failed refs (publish).",
        {"type": click.Path(dir_okay=False, path_type=Path)},
    ),
    "junit": Option(
        ("--junit", "junit"),
        "IMGBUILD_JUNIT",
        "Write the results as JUnit XML (a test case per image, and per ref for publish); a "
        "failure carries its step and log tail.",
        {"type": click.Path(dir_okay=False, path_type=Path)},
    ),
    "report": Option(
        ("--report", "report"),
        "IMGBUILD_REPORT",
        "Write the run as one self-contained HTML file: graph, timeline, summary, failures.",
        {"type": click.Path(dir_okay=False, path_type=Path)},
    ),
    "overrides": Option(
        ("--set", "overrides"),
        "IMGBUILD_SET",
        "Override a config value, e.g. --set images.api.args.PORT=9090 (repeatable).",
        {"multiple": True, "metavar": "KEY=VALUE"},
    ),
    "build_args": Option(
        ("--build-arg", "build_args"),
        "IMGBUILD_BUILD_ARGS",
        "A build arg for every image, over the config's args (repeatable).",
        {"multiple": True, "metavar": "NAME=VALUE"},
    ),
    "platforms": Option(
        ("--platform", "platforms"),
        "IMGBUILD_PLATFORMS",
        "Build every image for this platform, e.g. linux/arm64 (repeatable), instead of its "
        "platforms; default: each image's platforms, else the engine's own.",
        {"multiple": True, "metavar": "OS/ARCH[/VARIANT]"},
    ),
    "cache_registry": Option(
        ("--cache-registry", "cache_registry"),
        "IMGBUILD_CACHE_REGISTRY",
        "The registry used as the build cache, HOST[:PORT]/PREFIX, for every image over "
        "[cache] registry.",
        {"metavar": "HOST[:PORT]/PREFIX"},
    ),
    "no_remote_cache": _flag(
        "--no-remote-cache",
        envvar="IMGBUILD_NO_REMOTE_CACHE",
        help="Neither look images up in the cache registry nor store them there.",
    ),
    "version": Option(
        ("--version", "version"),
        "IMGBUILD_VERSION",
        "The semver version to tag; default: a git tag on HEAD.",
    ),
    # build
    "keep_going": _flag(
        "--keep-going",
        envvar="IMGBUILD_KEEP_GOING",
        help="After a failure, build everything that does not depend on it.",
    ),
    "no_cache": _flag(
        "--no-cache",
        envvar="IMGBUILD_NO_CACHE",
        help="Build every image, even when nothing changed.",
    ),
    "builder": Option(
        ("--builder", "builder"),
        "IMGBUILD_BUILDER",
        "Builder for every image, over the config's; default: each image's builder, auto.",
        {"type": click.Choice(["auto", "classic", "buildkit"])},
    ),
    "print_plan": _flag(
        "--print",
        "print_plan",
        envvar="IMGBUILD_PRINT",
        help="Print the resolved plan (order, args, tags, skips) and build nothing.",
    ),
    # publish
    "dry_run": _flag(
        "--dry-run",
        envvar="IMGBUILD_PUBLISH_DRY_RUN",
        help="Print every ref that would be pushed and why; build and contact nothing.",
    ),
    "retries": Option(
        ("--retries", "retries"),
        "IMGBUILD_PUSH_RETRIES",
        "Attempts per request on transient errors, with backoff.",
        {"type": click.IntRange(min=1), "default": 4, "show_default": True},
    ),
    "sign_key": Option(
        ("--sign-key", "sign_key"),
        "IMGBUILD_SIGN_KEY",
        "Sign every pushed digest, cosign-style (sha256-HEX.sig): an ECDSA P-256 PEM private "
        "key (or cosign's encrypted key, its passphrase in COSIGN_PASSWORD) as a file, env:VAR "
        "or keyring:NAME; default: [publish] sign_key.",
        {"metavar": "KEY"},
    ),
    "provenance": _tristate(
        "--provenance/--no-provenance",
        "provenance",
        "IMGBUILD_PROVENANCE",
        "Attach a SLSA provenance statement (sha256-HEX.att, a DSSE envelope) to every "
        "pushed digest, unsigned without --sign-key; default: [publish] provenance (true).",
    ),
    "provenance_dir": Option(
        ("--provenance-dir", "provenance_dir"),
        "IMGBUILD_PROVENANCE_DIR",
        "Also write each provenance envelope there, as IMAGE.sha256-HEX.intoto.json.",
        {"type": click.Path(file_okay=False, path_type=Path)},
    ),
    "sbom": _flag(
        "--sbom",
        envvar="IMGBUILD_SBOM",
        help="Attach an SPDX 2.3 SBOM made by Syft (extra imgbuild[sbom]) to every pushed "
        "digest (sha256-HEX.sbom); default: [publish] sbom.",
    ),
    "sbom_dir": Option(
        ("--sbom-dir", "sbom_dir"),
        "IMGBUILD_SBOM_DIR",
        "Also write each image's SBOM there, as IMAGE.spdx.json (implies --sbom).",
        {"type": click.Path(file_okay=False, path_type=Path)},
    ),
    "sbom_format": Option(
        ("--sbom-format", "sbom_format"),
        "IMGBUILD_SBOM_FORMAT",
        "The SBOM's format: SPDX 2.3 JSON or CycloneDX JSON (Syft's cyclonedx-json, written as "
        "IMAGE.cdx.json); default: [publish] sbom_format, else spdx.",
        {"type": click.Choice(["spdx", "cyclonedx"])},
    ),
    # verify
    "verify.key": Option(
        ("--key", "key"),
        "IMGBUILD_VERIFY_KEY",
        "The PEM public key (cosign.pub) the signature must verify with.",
        {"type": click.Path(dir_okay=False, path_type=Path), "required": True},
    ),
    "verify.format": Option(
        ("--format", "output_format"),
        "IMGBUILD_VERIFY_FORMAT",
        "Lines, or JSON for other tools.",
        {"type": click.Choice(["text", "json"]), "default": "text", "show_default": True},
    ),
    # graph, tags, engines
    "graph.format": Option(
        ("--format", "output_format"),
        "IMGBUILD_GRAPH_FORMAT",
        "Output format.",
        {
            "type": click.Choice(["text", "dot", "mermaid", "json", "svg", "png"]),
            "default": "text",
            "show_default": True,
        },
    ),
    "graph.metadata": Option(
        ("--metadata", "metadata"),
        "IMGBUILD_GRAPH_METADATA",
        "A build or publish metadata file (--metadata-file): colour each image by its status "
        "(dot, mermaid, svg, png).",
        {"type": click.Path(dir_okay=False, path_type=Path)},
    ),
    "tags.json": _flag(
        "--json", "as_json", envvar="IMGBUILD_TAGS_JSON", help="Print JSON: {IMAGE: [{tag, ...}]}."
    ),
    "engines.format": Option(
        ("--format", "output_format"),
        "IMGBUILD_ENGINES_FORMAT",
        "A table, or JSON for other tools.",
        {"type": click.Choice(["text", "json"]), "default": "text", "show_default": True},
    ),
    # lint
    "lint.format": Option(
        ("--format", "fmt"),
        "IMGBUILD_LINT_FORMAT",
        "Output format.",
        {"type": click.Choice(FORMATS), "default": "text", "show_default": True},
    ),
    "lint.failure_threshold": Option(
        ("--failure-threshold", "failure_threshold"),
        "IMGBUILD_LINT_FAILURE_THRESHOLD",
        "Exit 1 only for findings at or above this level; default info.",
        {"type": click.Choice(_THRESHOLDS)},
    ),
    "lint.ignore": Option(
        ("--ignore", "ignore"),
        "IMGBUILD_LINT_IGNORE",
        "Skip a rule; repeatable, added to the config's.",
        {"multiple": True, "metavar": "CODE"},
    ),
    "lint.severity": Option(
        ("--severity", "severity"),
        "IMGBUILD_LINT_SEVERITY",
        "Report a rule at another level (error, warning, info, style, ignore); repeatable.",
        {"multiple": True, "metavar": "CODE=LEVEL"},
    ),
    "lint.trusted_registries": Option(
        ("--trusted-registry", "trusted_registries"),
        "IMGBUILD_LINT_TRUSTED_REGISTRIES",
        "Allow FROM images only from these registries (DL3026); repeatable.",
        {"multiple": True, "metavar": "REGISTRY"},
    ),
    "lint.strict_labels": _tristate(
        "--strict-labels/--no-strict-labels",
        "strict_labels",
        "IMGBUILD_LINT_STRICT_LABELS",
        "Report labels not in the label schema.",
    ),
    "lint.disable_ignore_pragma": _tristate(
        "--disable-ignore-pragma/--enable-ignore-pragma",
        "disable_ignore_pragma",
        "IMGBUILD_LINT_DISABLE_IGNORE_PRAGMA",
        "Disregard `# hadolint ignore=` / `# imgbuild ignore=` comments.",
    ),
    "lint.no_fail": _tristate(
        "--no-fail/--fail",
        "no_fail",
        "IMGBUILD_LINT_NO_FAIL",
        "Exit 0 even when findings are over the threshold.",
    ),
    "lint.shellcheck": _tristate(
        "--shellcheck/--no-shellcheck",
        "shellcheck",
        "IMGBUILD_LINT_SHELLCHECK",
        "Check RUN scripts with ShellCheck (SC codes) when it is installed; default on.",
    ),
    "lint.buildkit_check": Option(
        ("--buildkit-check", "buildkit_check"),
        "IMGBUILD_LINT_BUILDKIT_CHECK",
        "BuildKit's check options for every file, as the build arg BUILDKIT_DOCKERFILE_CHECK "
        "(`skip=A,B;error=true`): they replace the files' `# check=` and the images' args.",
        {"metavar": "OPTIONS"},
    ),
    "lint.config": Option(
        ("-c", "--config", "hadolint_config"),
        "IMGBUILD_LINT_CONFIG",
        "A .hadolint.yaml to use; default: found in . or a parent.",
        {"type": click.Path(dir_okay=False, path_type=Path)},
    ),
    "lint.fix": _flag(
        "--fix",
        envvar="IMGBUILD_LINT_FIX",
        help="Rewrite files in place with the mechanical fixes.",
    ),
    "lint.diff": _flag(
        "--diff",
        envvar="IMGBUILD_LINT_DIFF",
        help="Print the fixes as a unified diff instead of writing them; exit 1 if there are any.",
    ),
    # new, update
    "new.format": Option(
        ("--format", "output_format"),
        "IMGBUILD_NEW_FORMAT",
        "Output of --list.",
        {"type": click.Choice(["text", "json"]), "default": "text"},
    ),
    "answers": Option(
        ("--set", "sets"),
        "IMGBUILD_ANSWERS",
        "Answer a question (repeatable).",
        {"multiple": True, "metavar": "KEY=VALUE"},
    ),
    "answers_file": Option(
        ("--answers", "answers_file"),
        "IMGBUILD_ANSWERS_FILE",
        "A TOML or JSON file of answers.",
        {"type": click.Path(dir_okay=False, exists=True)},
    ),
    "no_input": _flag(
        "--no-input",
        envvar="IMGBUILD_NO_INPUT",
        help="Never prompt: use answers and defaults, fail on a question with neither.",
    ),
    "force": _flag(
        "--force", envvar="IMGBUILD_FORCE", help="Overwrite files that differ (listed)."
    ),
    "template_dirs": Option(
        ("--template-dir", "template_dirs"),
        "IMGBUILD_TEMPLATE_DIRS",
        "A folder of templates searched before the project's and the built-ins (repeatable; "
        "IMGBUILD_TEMPLATE_PATH adds folders searched after the project's).",
        {"multiple": True, "type": click.Path(file_okay=False)},
    ),
    "update.dry_run": _flag(
        "--dry-run", envvar="IMGBUILD_UPDATE_DRY_RUN", help="Show the diff, write nothing."
    ),
    # login
    "username": Option(("-u", "--username", "username"), "IMGBUILD_USERNAME", "The registry user."),
    "password_stdin": _flag(
        "--password-stdin",
        envvar="IMGBUILD_PASSWORD_STDIN",
        help="Read the password or token from standard input (the only way to give it).",
    ),
    # init
    "init.from": Option(
        ("--from", "source"),
        "IMGBUILD_INIT_FROM",
        "Convert a compose.yaml or a docker-bake.hcl / docker-bake.json instead of walking "
        "the folder for Dockerfiles.",
        {"type": click.Path(dir_okay=False, exists=True, path_type=Path)},
    ),
    "init.repository_prefix": Option(
        ("--repository-prefix", "repository_prefix"),
        "IMGBUILD_INIT_REPOSITORY_PREFIX",
        "Put each proposed repository under this prefix, e.g. ghcr.io/org/ (compose images "
        "and bake tags keep theirs).",
        {"metavar": "PREFIX"},
    ),
    "init.yes": _flag(
        "-y",
        "--yes",
        "yes",
        envvar="IMGBUILD_INIT_YES",
        help="Write imgbuild.toml without asking (needed without a terminal).",
    ),
    "init.force": _flag(
        "--force",
        envvar="IMGBUILD_INIT_FORCE",
        help="Replace an existing imgbuild.toml.",
    ),
}

# Options that print a reference instead of doing the command's work: set in the environment,
# they would silently turn every later run of the command into that report.
REPORT_OPTIONS: dict[str, Option] = {
    "lint.list_rules": Option(
        ("--list-rules", "list_rules"),
        "",
        "List every rule: code, default severity, whether it can fix, summary.",
        {"is_flag": True},
    ),
    "lint.explain": Option(
        ("--explain", "explain"),
        "",
        "Explain a rule, with a bad and a good example.",
        {"metavar": "CODE"},
    ),
    "new.list": Option(
        ("--list", "list_only"), "", "List every template and its questions.", {"is_flag": True}
    ),
    "login.status": Option(
        ("--status", "status"),
        "",
        "Show, per registry, which source its credentials come from (never the secret).",
        {"is_flag": True},
    ),
}


def option(name: str) -> Callable[[F], F]:
    """The click option `name` of the table."""
    if name in REPORT_OPTIONS:
        spec = REPORT_OPTIONS[name]
        return click.option(*spec.flags, help=spec.help, **spec.settings)
    spec = OPTIONS[name]
    return click.option(
        *spec.flags, envvar=spec.envvar, show_envvar=True, help=spec.help, **spec.settings
    )


def options(*names: str) -> Callable[[F], F]:
    """Several options of the table, in the order given (as `--help` lists them)."""

    def decorate(function: F) -> F:
        for name in reversed(names):
            function = option(name)(function)
        return function

    return decorate
