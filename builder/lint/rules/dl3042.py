"""Avoid use of cache directory with pip.

## What it does
Reports a RUN with `pip install` (or `python -m pip install`) that keeps pip's download cache
in the image: no `--no-cache-dir`, no truthy `PIP_NO_CACHE_DIR` (set by ENV in the stage or a
stage it is built on, or in the RUN itself), and no BuildKit cache or tmpfs mount on pip's cache
(`RUN --mount=type=cache,target=/root/.cache/pip`), where nothing stays in the image. `pipx` and
`pipenv` are not reported. `--fix` adds `--no-cache-dir` after `install`.

## Why is this bad?
The cache is only useful to later pip runs on the same machine; in an image layer it is dead
weight.

## Example
```dockerfile
RUN pip install django==5.0.6
```

## Use instead
```dockerfile
RUN pip install --no-cache-dir django==5.0.6
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import Edit, LintContext, Rule, RuleHit, Severity
from builder.lint.runs import cache_mount_targets, is_pip_install, runs
from builder.lint.runscript import run_script
from builder.lint.shell import SimpleCommand

_TRUTHY = frozenset({"1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"})
# Patterns, not compiled ones: `re` compiles each on first use (most files never need it).
_ASSIGNED = r"PIP_NO_CACHE_DIR=[\"']?([A-Za-z0-9]*)"
_FLAG = "--no-cache-dir"
# `pip[3][.11] [options] install` or `python[3] -m pip install`, options possibly continued
_INSTALL = (
    r"(?:\bpip[0-9.]*|\bpython[0-9.]*(?:[ \t]+-\S+)*[ \t]+-m[ \t]+pip)"
    r"(?:[ \t]+(?:\\\r?\n[ \t]*)?-\S+)*[ \t]+(?:\\\r?\n[ \t]*)?install\b(?![-\w])"
)
_SEPARATOR = r"&&|\|\||;|\||(?<!\\)\n"


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    disabled = _cache_disabled_by_env(dockerfile)
    for instruction, commands in runs(dockerfile):
        if instruction.line in disabled or _mounts_pip_cache(instruction):
            continue
        if _assigns_truthy(instruction):
            continue
        if any(_caches(command) for command in commands):
            yield RuleHit(instruction.line, fix=_fix(instruction))


def _caches(command: SimpleCommand) -> bool:
    return is_pip_install(command) and "pipx" not in command.program and not command.has_arg(_FLAG)


def _assigns_truthy(instruction: Instruction) -> bool:
    script = run_script(instruction)
    match = re.search(_ASSIGNED, script) if "PIP_NO_CACHE_DIR" in script else None
    return match is not None and match.group(1) in _TRUTHY


def _mounts_pip_cache(instruction: Instruction) -> bool:
    return any(
        target.endswith(("/.cache/pip", "/.cache")) or target.endswith("/pip")
        for target in cache_mount_targets(instruction)
    )


def _cache_disabled_by_env(dockerfile: Dockerfile) -> set[int]:
    """Lines of the RUNs in stages where ENV sets a truthy PIP_NO_CACHE_DIR before them."""
    disabled_stages: dict[int, bool] = {}
    lines: set[int] = set()
    for instruction in dockerfile.instructions:
        stage = instruction.stage
        if instruction.keyword == "FROM" and stage >= 0:
            base = dockerfile.stage_by_reference(dockerfile.stages[stage].base, before=stage)
            disabled_stages[stage] = base is not None and disabled_stages.get(base.index, False)
        elif instruction.keyword == "ENV":
            for key, value in key_value_pairs(instruction.arguments):
                if key == "PIP_NO_CACHE_DIR":
                    disabled_stages[stage] = value in _TRUTHY
        elif instruction.keyword == "RUN" and disabled_stages.get(stage, False):
            lines.add(instruction.line)
    return lines


def _fix(instruction: Instruction) -> Edit | None:
    """Add the flag after each `pip install` that lacks it, in the original text."""
    text = instruction.text
    pieces: list[str] = []
    cursor = 0
    for match in re.finditer(_INSTALL, text):
        following = re.compile(_SEPARATOR).search(text, match.end())
        command = text[match.start() : following.start() if following else len(text)]
        if _FLAG in command:
            continue
        pieces.append(text[cursor : match.end()] + " " + _FLAG)
        cursor = match.end()
    if not pieces:
        return None
    return Edit(instruction.line, instruction.end_line, "".join(pieces) + text[cursor:])


RULE = Rule(
    code="DL3042",
    severity=Severity.WARNING,
    summary=("Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`"),
    check=check,
    explanation=__doc__ or "",
    fixable=True,
    applies_in_onbuild=True,
)
