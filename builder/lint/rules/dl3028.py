"""Pin versions in gem install.

## What it does
Reports a RUN with `gem install <gem>` (or `gem i`) where a gem has no version: `bundler`
rather than `bundler:2.5.6`, and no `-v`/`--version` option.

## Why is this bad?
Without a version the image gets whatever is latest on the day of the build.

## Example
```dockerfile
RUN gem install bundler
```

## Use instead
```dockerfile
RUN gem install bundler:2.5.6
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(not all(":" in gem for gem in _gems(command)) for command in commands):
            yield RuleHit(instruction.line)


def _gems(command: SimpleCommand) -> list[str]:
    """The gems named after `install`, up to the first option (options end the list)."""
    if not command.has_args("gem", "install", "i") or command.has_flag("v", "version"):
        return []
    args = list(command.args)
    start = next(i for i, arg in enumerate(args) if arg in ("install", "i")) + 1
    gems = []
    for arg in args[start:]:
        if arg.startswith("-"):
            break
        gems.append(arg)
    return gems


RULE = Rule(
    code="DL3028",
    severity=Severity.WARNING,
    summary=(
        "Pin versions in gem install. Instead of `gem install <gem>` use "
        "`gem install <gem>:<version>`"
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
