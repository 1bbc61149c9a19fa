"""Pin versions in apt get install. Instead of `apt-get install <package>` use
`apt-get install <package>=<version>`

## What it does
Reports a `RUN` (or `ONBUILD RUN`) whose `apt-get install` names a package without a version
(`curl` rather than `curl=7.88.1-10+deb12u5`). Local `.deb` files and paths are fine, and so
are pins written with variables (`curl=${CURL_VERSION}`). A package list held in an ARG or ENV
of the Dockerfile (`apt-get install $PACKAGES`) is read from its value. Not fixable: only you
know which version you want.

## Why is this bad?
Without a pin, each build installs whatever the mirror has that day: builds are not
reproducible and an upstream change can break the image without any change here.

## Example
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runenv import expand_known, values_before
from builder.lint.runs import runs, script_commands
from builder.lint.runscript import run_script
from builder.lint.shell import SimpleCommand


def is_pinned(package: str) -> bool:
    return "=" in package or "/" in package or package.endswith(".deb")


def unpinned(command: SimpleCommand) -> list[str]:
    """The packages an `apt-get install` names without a version."""
    if not command.has_args("apt-get", "install"):
        return []
    packages = command.args_no_flags(dropping_values_of=("t", "target-release"))
    return [p for p in packages if p != "install" and not is_pinned(p)]


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if not any(unpinned(command) for command in commands):
            continue
        script = run_script(instruction)
        expanded = expand_known(script, values_before(dockerfile, instruction))
        if expanded == script or any(unpinned(c) for c in script_commands(expanded)):
            yield RuleHit(instruction.line)


RULE = Rule(
    code="DL3008",
    severity=Severity.WARNING,
    summary="Pin versions in apt get install. Instead of `apt-get install <package>` use "
    "`apt-get install <package>=<version>`",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
