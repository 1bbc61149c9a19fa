"""What the package-manager rules share: each RUN with its simple commands, and cache mounts.

The commands are those hadolint sees (`builder.lint.shell.simple_commands`) in the script that
`builder.lint.runscript.run_script` gives, heredoc bodies included, so a rule's findings land on
the same lines as hadolint's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from builder.dockerfile import Dockerfile, Instruction, parse_arg
from builder.lint.keyvalues import key_value_pairs
from builder.lint.runscript import run_script
from builder.lint.shell import SimpleCommand, simple_commands

_CACHE_MOUNT_TYPES = frozenset({"cache", "tmpfs"})


def runs(dockerfile: Dockerfile) -> Iterator[tuple[Instruction, tuple[SimpleCommand, ...]]]:
    """Every RUN instruction with the simple commands of its script."""
    for instruction in dockerfile.instructions:
        if instruction.keyword == "RUN":
            yield instruction, script_commands(run_script(instruction))


@functools.lru_cache(maxsize=4096)
def script_commands(script: str) -> tuple[SimpleCommand, ...]:
    return tuple(simple_commands(script))


def cache_mount_targets(instruction: Instruction) -> list[str]:
    """Targets of the instruction's `--mount=type=cache` and `type=tmpfs` mounts, `/` trimmed."""
    targets = []
    for options in instruction.mounts():
        target = options.get("target") or options.get("dst") or options.get("destination")
        if options.get("type") in _CACHE_MOUNT_TYPES and target:
            targets.append(target.rstrip("/") or "/")
    return targets


def mounts_cache_at(instruction: Instruction, *paths: str) -> bool:
    """True when a cache or tmpfs mount covers one of `paths` (the path or a parent of it)."""
    for target in cache_mount_targets(instruction):
        for path in paths:
            if path == target or path.startswith(target.rstrip("/") + "/"):
                return True
    return False


def first_index(commands: tuple[SimpleCommand, ...], test: Callable[[SimpleCommand], bool]) -> int:
    """The index of the first command passing `test`, or -1."""
    return next((index for index, command in enumerate(commands) if test(command)), -1)


def cleans_after(
    commands: tuple[SimpleCommand, ...],
    installs: Callable[[SimpleCommand], bool],
    cleans: Callable[[SimpleCommand], bool],
) -> bool:
    """False when a command that `installs` has no command that `cleans` after it."""
    start = first_index(commands, installs)
    if start < 0:
        return True
    return any(cleans(command) for command in commands[start + 1 :])


def removes(command: SimpleCommand, *paths: str) -> bool:
    """An `rm` of one of `paths`, of a folder holding it, or of what it holds (`dir/*`)."""
    if command.program != "rm":
        return False
    for arg in command.args_no_flags():
        target = arg.rstrip("*").rstrip("/")
        for path in paths:
            if target and (path == target or path.startswith(target + "/")):
                return True
            if target.startswith(path + "/"):
                return True
    return False


# Patterns, not compiled ones: `re` compiles each on first use (most files never need it).
# hadolint's characters of an RPM version or release (`1:1.1.1k`, `1.2~rc1`, `1.2+git`)
_RPM_VERSION = r"[0-9A-Za-z.~^_:+]*"
_VARIABLE = r"-\$\{?([A-Za-z_][A-Za-z0-9_]*)"


def rpm_is_pinned(raw_package: str, declared: frozenset[str]) -> bool:
    """`name-1.2`, `name-1:1.2`, `pkg.rpm`, or `name-${VERSION}` with VERSION an ARG or ENV.

    As hadolint: everything after the first dash is version characters with a part starting
    with a digit, so `devtoolset-10-gcc-*` (a glob) is not pinned."""
    if _is_version_like(raw_package.split("-")[1:]) or raw_package.endswith(".rpm"):
        return True
    return any(match.group(1) in declared for match in re.finditer(_VARIABLE, raw_package))


def _is_version_like(parts: list[str]) -> bool:
    return (
        bool(parts)
        and all(re.fullmatch(_RPM_VERSION, part) for part in parts)
        and any(part[:1].isdigit() for part in parts)
    )


def declared_variables(dockerfile: Dockerfile) -> dict[int, frozenset[str]]:
    """For each RUN line: the ARGs declared anywhere before it and the ENVs of its stage and the
    stages it is built on (hadolint's view of which variables a RUN may use)."""
    args: set[str] = set()
    envs: dict[int, set[str]] = {}
    result: dict[int, frozenset[str]] = {}
    for instruction in dockerfile.instructions:
        stage = instruction.stage
        if instruction.keyword == "FROM" and stage >= 0:
            base = dockerfile.stage_by_reference(dockerfile.stages[stage].base, before=stage)
            envs[stage] = set(envs.get(base.index, set())) if base is not None else set()
        elif instruction.keyword == "ARG":
            args.update(parse_arg(instruction.arguments))
        elif instruction.keyword == "ENV":
            envs.setdefault(stage, set()).update(
                k for k, _ in key_value_pairs(instruction.arguments)
            )
        elif instruction.keyword == "RUN":
            result[instruction.line] = frozenset(args | envs.get(stage, set()))
    return result


def is_pip_install(command: SimpleCommand) -> bool:
    """`pip* install ...` or `python* -m pip install ...` (pipenv has its own lock file)."""
    if command.program.startswith("pip") and not command.program.startswith("pipenv"):
        return "install" in command.args
    if command.program.startswith("python"):
        args = command.args
        return any(args[i : i + 3] == ("-m", "pip", "install") for i in range(len(args)))
    return False
