"""What the package-manager rules share: each RUN with its simple commands, and cache mounts.

The commands are those hadolint sees (`builder.lint.shell.simple_commands`) in the script that
`builder.lint.runscript.run_script` gives, heredoc bodies included, so a rule's findings land on
the same lines as hadolint's.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
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
    for mount in instruction.flag_values("mount"):
        options = dict(part.partition("=")[::2] for part in mount.split(","))
        target = options.get("target") or options.get("dst") or options.get("destination")
        if options.get("type") in _CACHE_MOUNT_TYPES and target:
            targets.append(target.strip("\"'").rstrip("/") or "/")
    return targets


def mounts_cache_at(instruction: Instruction, *paths: str) -> bool:
    """True when a cache or tmpfs mount covers one of `paths` (the path or a parent of it)."""
    for target in cache_mount_targets(instruction):
        for path in paths:
            if path == target or path.startswith(target.rstrip("/") + "/"):
                return True
    return False
