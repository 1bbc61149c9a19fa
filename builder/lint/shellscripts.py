"""The RUN scripts ShellCheck reads, each as a whole script, as hadolint builds them.

A script is `#!` and the first word of the stage's SHELL (`/bin/sh` by default), then
`export NAME=1` for each ARG and ENV name of the stage (and the proxy variables every build has)
so ShellCheck knows them as assigned (those that cannot change its report on this script left
out: `builder.lint.scriptnames`), then the RUN's text: the shell form with its continuations
joined, or the body of a `RUN <<EOF` heredoc. As in hadolint, a stage built on an earlier stage
starts from that stage's shell and names (otherwise from the defaults, so global ARGs are not
known), `# hadolint shell=bash` sets the shell from there on, and there is no script for an exec
form RUN, a non-POSIX SHELL (PowerShell, cmd) or a heredoc whose shebang names another program.
ONBUILD RUN triggers are scripts too, seeing only the other triggers' ARGs, ENVs and SHELL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from builder.dockerfile import Dockerfile, Instruction, parse_arg
from builder.lint.keyvalues import key_value_pairs
from builder.lint.model import Finding, Severity
from builder.lint.onbuild import onbuild_view
from builder.lint.runscript import argument_words, exec_form
from builder.lint.scriptnames import exported_names
from builder.lint.settings import LintSettings
from builder.lint.shellcheck import Comment, ShellCheck
from builder.lint.variables import PROXY_ARGS

_NON_POSIX = ("pwsh", "powershell", "cmd")
_SHEBANGS = (
    "#!/bin/sh",
    "#!/bin/bash",
    "#!/bin/ksh",
    "#!/usr/bin/env sh",
    "#!/usr/bin/env bash",
    "#!/usr/bin/env ksh",
)
_SHELL_PRAGMA_RE = re.compile(r"^[ \t]*hadolint[ \t]+shell[ \t]*=[ \t]*(\S+)[ \t]*(?:#.*)?$")


@dataclass(frozen=True)
class RunScript:
    line: int  # the RUN's first line, where hadolint reports ShellCheck's findings
    source: str  # the script as ShellCheck reads it


@dataclass(frozen=True)
class _Shell:
    command: str = "/bin/sh -c"  # the SHELL's words, joined
    names: frozenset[str] = field(default=PROXY_ARGS)


def shellcheck_findings(
    shellcheck: ShellCheck, files: Sequence[tuple[Dockerfile, str]], settings: LintSettings
) -> list[list[Finding]]:
    """ShellCheck's findings on each (file, display name), after `ignored` and the severity
    overrides; each on its RUN's line, with ShellCheck's message. One ShellCheck run for all,
    each distinct script checked once."""
    return start_shellcheck(shellcheck, files, settings)()


def start_shellcheck(
    shellcheck: ShellCheck, files: Sequence[tuple[Dockerfile, str]], settings: LintSettings
) -> Callable[[], list[list[Finding]]]:
    """`shellcheck_findings`, started: ShellCheck runs while the caller goes on, and the function
    returned waits for it and gives the findings."""
    scripts = [run_scripts(dockerfile) for dockerfile, _ in files]
    sources = list(dict.fromkeys(script.source for found in scripts for script in found))
    checking = shellcheck.start(sources)

    def findings() -> list[list[Finding]]:
        comments = dict(zip(sources, checking.result(), strict=True))
        return _findings(files, scripts, comments, settings)

    return findings


def _findings(
    files: Sequence[tuple[Dockerfile, str]],
    scripts: list[list[RunScript]],
    comments: dict[str, list[Comment]],
    settings: LintSettings,
) -> list[list[Finding]]:
    findings: list[list[Finding]] = []
    for (_, display), found in zip(files, scripts, strict=True):
        findings.append([])
        for script in found:
            for comment in comments[script.source]:
                severity = settings.severity.get(comment.code, Severity(comment.level))
                if comment.code not in settings.ignored and severity is not Severity.IGNORE:
                    findings[-1].append(
                        Finding(display, script.line, 1, comment.code, severity, comment.message)
                    )
    return findings


def run_scripts(dockerfile: Dockerfile) -> list[RunScript]:
    """Every script to check, RUNs and then ONBUILD RUN triggers."""
    scripts = _scripts(dockerfile, with_pragmas=True)
    view = onbuild_view(dockerfile)
    if view is not None:
        scripts += _scripts(view.dockerfile, with_pragmas=False)
    return scripts


def _scripts(dockerfile: Dockerfile, *, with_pragmas: bool) -> list[RunScript]:
    pragmas = _shell_pragmas(dockerfile) if with_pragmas else {}
    default = _Shell()
    current = default
    stages: dict[int, _Shell] = {}  # each stage's shell as it ends, for stages built on it
    scripts: list[RunScript] = []
    for instruction in dockerfile.instructions:
        for line in [line for line in pragmas if line < instruction.line]:
            current = replace(current, command=pragmas.pop(line))
            default = current if not stages else default  # before any instruction: for all
        keyword = instruction.keyword
        if keyword == "FROM" and instruction.stage >= 0:
            stage = dockerfile.stages[instruction.stage]
            parent = dockerfile.stage_by_reference(stage.base, before=stage.index)
            current = stages.get(parent.index, default) if parent is not None else default
        elif keyword in ("ARG", "ENV"):
            current = replace(current, names=current.names | _names(instruction))
        elif keyword == "SHELL":
            current = replace(current, command=" ".join(argument_words(instruction.arguments)))
        elif keyword == "RUN":
            script = _script(instruction, current)
            if script is not None:
                scripts.append(script)
        stages[instruction.stage] = current
    return scripts


def _names(instruction: Instruction) -> frozenset[str]:
    if instruction.keyword == "ARG":
        return frozenset(parse_arg(instruction.arguments))
    return frozenset(name for name, _ in key_value_pairs(instruction.arguments))


def _script(instruction: Instruction, shell: _Shell) -> RunScript | None:
    if exec_form(instruction.arguments) is not None:
        return None
    if any(name in shell.command for name in _NON_POSIX):
        return None
    text = _text(instruction)
    if text.startswith("#!") and not text.startswith(_SHEBANGS):
        return None
    words = shell.command.split()
    exports = "".join(f"export {name}=1\n" for name in exported_names(shell.names, text))
    return RunScript(instruction.line, f"#!{words[0] if words else ''}\n{exports}{text}")


def _text(instruction: Instruction) -> str:
    """The RUN's text as hadolint's parser gives it: a leading heredoc's body, else the command
    line up to the first heredoc."""
    arguments = instruction.arguments.strip()
    if instruction.heredocs and arguments.startswith("<<"):
        return instruction.heredocs[0].body.strip()
    if instruction.heredocs:
        return arguments.split("<<", 1)[0].strip()
    return arguments


def _shell_pragmas(dockerfile: Dockerfile) -> dict[int, str]:
    """`# hadolint shell=NAME` comments: line -> the shell from there on."""
    found: dict[int, str] = {}
    for comment in dockerfile.comments:
        match = _SHELL_PRAGMA_RE.match(comment.text.rstrip())
        if match is not None:
            found[comment.line] = match.group(1)
    return found
