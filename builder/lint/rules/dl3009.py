"""Delete the apt lists (/var/lib/apt/lists) after installing something

## What it does
Reports a `RUN` (or `ONBUILD RUN`) that runs `apt-get update` (or `apt` / `aptitude`) without
removing `/var/lib/apt/lists/*` in the same `RUN`, in the final stage or a stage that a later
`FROM` builds on. Quiet when the RUN mounts a BuildKit cache or tmpfs on the apt lists
(`--mount=type=cache,target=/var/lib/apt/lists`, or on both `/var/lib/apt` and
`/var/cache/apt`): then the lists never reach the image. `--fix` appends
`&& rm -rf /var/lib/apt/lists/*` to the RUN (a line before the end of a heredoc script).

## Why is this bad?
The package lists are tens of megabytes that nothing in the image needs once the packages are
installed; removing them in a later RUN does not shrink the earlier layer.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \\
    && rm -rf /var/lib/apt/lists/*
```
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import Edit, LintContext, Rule, RuleHit, Severity
from builder.lint.runs import cache_mount_targets, runs
from builder.lint.shell import SimpleCommand

CLEANUP = "rm -rf /var/lib/apt/lists/*"
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh"})


def forgets_cleanup(commands: Sequence[SimpleCommand]) -> bool:
    updates = any(
        c.has_args(tool, "update") for c in commands for tool in ("apt-get", "apt", "aptitude")
    )
    cleans = any(c.has_args("rm", "-rf", "/var/lib/apt/lists/*") for c in commands)
    return updates and not cleans


def lists_are_mounted(instruction: Instruction) -> bool:
    targets = cache_mount_targets(instruction)

    def mounted(directory: str) -> bool:
        return any(target.startswith(directory) for target in targets)

    return mounted("/var/lib/apt/lists") or (mounted("/var/lib/apt") and mounted("/var/cache/apt"))


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    built_on = {
        stage.index for stage in dockerfile.stages if _is_base_of_later(dockerfile, stage.index)
    }
    last = len(dockerfile.stages) - 1
    for instruction, commands in runs(dockerfile):
        if not forgets_cleanup(commands) or lists_are_mounted(instruction):
            continue
        if instruction.stage < 0 or instruction.stage == last or instruction.stage in built_on:
            yield RuleHit(instruction.line, fix=cleanup_edit(dockerfile, instruction))


def _is_base_of_later(dockerfile: Dockerfile, index: int) -> bool:
    name = dockerfile.stages[index].name
    return name is not None and any(
        stage.base.lower() == name for stage in dockerfile.stages[index + 1 :]
    )


def cleanup_edit(dockerfile: Dockerfile, instruction: Instruction) -> Edit | None:
    """The instruction with the clean-up added as the last command; None where that is unsafe."""
    lines = instruction.text.splitlines(keepends=True)
    if not lines or instruction.arguments.lstrip().startswith("["):
        return None
    if instruction.heredocs:
        words = instruction.arguments.replace("<<", " <<").split()
        program = words[0].rsplit("/", 1)[-1] if words and not words[0].startswith("<<") else ""
        if len(instruction.heredocs) != 1 or (program and program not in _SHELLS):
            return None
        terminator = lines[-1]
        return Edit(instruction.end_line, instruction.end_line, f"{CLEANUP}\n{terminator}")
    last = lines[-1].rstrip("\r\n")
    if "#" in last or last.rstrip().endswith((dockerfile.escape, "&&", "||", "|", ";")):
        return None
    indent = "    "
    if len(lines) > 1:
        stripped = last.lstrip(" \t")
        indent = last[: len(last) - len(stripped)] or indent
    text = f"{last.rstrip()} {dockerfile.escape}\n{indent}&& {CLEANUP}\n"
    return Edit(instruction.end_line, instruction.end_line, text)


RULE = Rule(
    code="DL3009",
    severity=Severity.INFO,
    summary="Delete the apt lists (/var/lib/apt/lists) after installing something",
    check=check,
    explanation=__doc__ or "",
    fixable=True,
    applies_in_onbuild=True,
)
