"""Pin versions in npm.

## What it does
Reports a RUN with `npm install <package>` where a package has no version, tag or commit:
`express` rather than `express@4.19.2`. A bare `npm install` (the project's own lock file),
tarballs, folders and git URLs with `#ref` are not reported; neither are versions written with
variables (`express@$EXPRESS_VERSION`).

## Why is this bad?
Without a version, npm installs whatever is latest on the day of the build, so two builds of
the same Dockerfile can differ or break.

## Example
```dockerfile
RUN npm install --global express
```

## Use instead
```dockerfile
RUN npm install --global express@4.19.2
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import runs
from builder.lint.shell import SimpleCommand

_VALUE_OPTIONS = ("loglevel", "registry", "prefix", "cache", "userconfig", "globalconfig")
_GIT_PREFIXES = ("git://", "git+ssh://", "git+http://", "git+https://")
_PATH_PREFIXES = ("/", "./", "../", "~/")
_TARBALL_SUFFIXES = (".tar", ".tar.gz", ".tgz")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_installs_unpinned(command) for command in commands):
            yield RuleHit(instruction.line)


def _installs_unpinned(command: SimpleCommand) -> bool:
    if not command.has_args("npm", "install"):
        return False
    words = command.args_no_flags(_VALUE_OPTIONS)
    if not words or words[0] != "install":
        return False
    packages = [word for word in words[1:] if word != "install"]
    return not all(_is_pinned(package) for package in packages)


def _is_pinned(package: str) -> bool:
    if package.startswith(_GIT_PREFIXES):
        return "#" in package
    if package.endswith(_TARBALL_SUFFIXES) or package.startswith(_PATH_PREFIXES):
        return True
    name = package.split("/", 1)[1] if package.startswith("@") and "/" in package else package
    return "@" in name


RULE = Rule(
    code="DL3016",
    severity=Severity.WARNING,
    summary=(
        "Pin versions in npm. Instead of `npm install <package>` use "
        "`npm install <package>@<version>`"
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
