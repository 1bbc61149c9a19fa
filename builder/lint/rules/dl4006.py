"""Set the SHELL option -o pipefail before RUN with a pipe in it.

## What it does
Reports a `RUN` with a pipe (`a | b`) in a stage whose `SHELL` is not bash, zsh or ash with
`-o pipefail`. Windows shells (PowerShell, cmd) are exempt, and so are stages built on a Windows
image (`mcr.microsoft.com/windows/...`, `...nanoserver...`), whose default shell is cmd. Unlike
hadolint, a script that sets the option itself before its first pipe (`set -euo pipefail`,
typical of heredocs) is fine, and so is a SHELL naming its shell by another path
(`/usr/bin/bash`).

## Why is this bad?
A pipeline's status is that of its last command: `curl -fsSL $URL | tar -xz` succeeds when the
download fails and `tar` happens to read nothing, and the build goes on with a broken layer.

## Example
```dockerfile
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
```

## Use instead
```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local/bin
```
If you are using `/bin/sh` in an alpine image or if your shell is symlinked to busybox, set
`SHELL ["/bin/ash", "-o", "pipefail", "-c"]` instead.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.pipes import first_pipe
from builder.lint.runs import script_commands
from builder.lint.runscript import argument_words, run_script
from builder.lint.shell import SimpleCommand, join_continuations

_PIPEFAIL_SHELLS = frozenset({"bash", "zsh", "ash"})
_WINDOWS_SHELLS = frozenset({"pwsh", "powershell", "cmd"})
# mcr.microsoft.com/windows/servercore, .../nanoserver, and tags such as `4.8-windowsservercore`
_WINDOWS_PREFIX = "mcr.microsoft.com/windows/"
_WINDOWS_WORDS = ("nanoserver", "windowsservercore")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    safe = False
    windows: set[int] = set()  # stages built on a Windows image, whose default shell is cmd
    for instruction in dockerfile.instructions:
        if instruction.keyword == "FROM":
            safe = _is_windows_stage(dockerfile, instruction.stage, windows)
        elif instruction.keyword == "SHELL":
            safe = _is_safe_shell(instruction)
        elif instruction.keyword == "RUN" and not safe and _pipes_without_pipefail(instruction):
            yield RuleHit(instruction.line)


def _is_windows_stage(dockerfile: Dockerfile, index: int, windows: set[int]) -> bool:
    if index < 0:
        return False
    base = dockerfile.stages[index].base.lower()
    parent = dockerfile.stage_by_reference(base, before=index)
    if (parent is not None and parent.index in windows) or (
        parent is None
        and (base.startswith(_WINDOWS_PREFIX) or any(word in base for word in _WINDOWS_WORDS))
    ):
        windows.add(index)
        return True
    return False


def _is_safe_shell(instruction: Instruction) -> bool:
    words = argument_words(instruction.arguments)
    if not words:
        return False
    program = words[0].replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")
    if program in _WINDOWS_SHELLS:
        return True
    commands = script_commands(" ".join(shlex.quote(word) for word in words))
    return program in _PIPEFAIL_SHELLS and bool(commands) and _sets_pipefail(commands[0])


def _pipes_without_pipefail(instruction: Instruction) -> bool:
    script = join_continuations(run_script(instruction))
    position = first_pipe(script)
    if position is None:
        return False
    before = script_commands(script[:position])
    return not any(c.program == "set" and _sets_pipefail(c) for c in before)


def _sets_pipefail(command: SimpleCommand) -> bool:
    """`-o pipefail` among the options, as in `bash -euo pipefail` or `set -o pipefail`."""
    return command.has_flag("o") and "pipefail" in command.args


RULE = Rule(
    code="DL4006",
    severity=Severity.WARNING,
    summary=(
        "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using "
        "/bin/sh in an alpine image or if your shell is symlinked to busybox then consider "
        "explicitly setting your SHELL to /bin/ash, or disable this check"
    ),
    check=check,
    explanation=__doc__ or "",
)
