"""Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`.

## What it does
Reports `go install`, `go get` and `go run` of a remote package without a version, or with
`@latest`. Local packages (`.`, `./cmd/app`, `/go/src/app`) need no version.

## Why is this bad?
Without a version the build fetches whatever the package's default branch holds today: the
image changes, or breaks, without any change to the Dockerfile.

## Example
```dockerfile
RUN go install golang.org/x/tools/gopls@latest
```

## Use instead
```dockerfile
RUN go install golang.org/x/tools/gopls@v0.16.1
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
        if any(_unpinned(command) for command in commands):
            yield RuleHit(instruction.line)


def _unpinned(command: SimpleCommand) -> bool:
    if command.program != "go" or not command.args:
        return False
    subcommand, rest = command.args[0], command.args[1:]
    if subcommand not in ("install", "get", "run"):
        return False
    packages = [word for word in rest if not word.startswith("-")]
    if subcommand == "run":
        # everything after the package is the program's own arguments
        packages = packages[:1]
    return any(_is_unpinned_remote(package) for package in packages)


def _is_unpinned_remote(package: str) -> bool:
    if package.startswith(("/", ".")):
        return False
    _, at, version = package.partition("@")
    return not at or version == "latest"


RULE = Rule(
    code="DL3062",
    severity=Severity.WARNING,
    summary=(
        "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`"
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
