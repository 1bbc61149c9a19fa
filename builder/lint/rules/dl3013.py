"""Pin versions in pip.

## What it does
Reports a RUN that installs Python packages with `pip install` (or `python -m pip install`,
`pipx install`) without pinning each package's version.

## Why is this bad?
Unpinned packages make the build depend on the day it runs: a new release can break the image
or change it silently. Packages count as pinned with a version specifier (`==`, `>=`, `~=`, ...,
also written with a variable: `foo==${FOO_VERSION}`), as a local wheel or archive, a path, or a
VCS URL with `@ref`. Installs from a requirements file (`-r`), a constraints file (`-c`) or the
local project (`.`) are not reported.

## Example
```dockerfile
RUN pip install django
```

## Use instead
```dockerfile
RUN pip install django==5.0.6
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import is_pip_install, runs
from builder.lint.shell import SimpleCommand

# Options whose value is the next word, so that word is not a package.
_VALUE_OPTIONS = (
    "abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i",
    "index-url", "implementation", "no-binary", "only-binary", "platform", "prefix",
    "progress-bar", "proxy", "python", "python-version", "root", "root-user-action", "src",
    "t", "target", "trusted-host", "upgrade-strategy",
)  # fmt: skip
_VERSION_OPERATORS = ("==", ">=", "<=", ">", "<", "!=", "~=", "===")
_VCS_SCHEMES = ("git+", "git:", "hg+", "svn+", "svn:", "bzr+")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction, commands in runs(dockerfile):
        if any(_installs_unpinned(command) for command in commands):
            yield RuleHit(instruction.line)


def _installs_unpinned(command: SimpleCommand) -> bool:
    if not is_pip_install(command) or command.has_flag("constraint", "c", "requirement", "r"):
        return False
    if "." in command.args:
        return False
    words = command.args_no_flags(_VALUE_OPTIONS)
    packages = words[words.index("install") + 1 :] if "install" in words else []
    return not all(_is_pinned(package) for package in packages if package != "install")


def _is_pinned(package: str) -> bool:
    is_vcs = package.startswith(_VCS_SCHEMES)
    return (
        any(operator in package for operator in _VERSION_OPERATORS)
        or (is_vcs and "@" in package)
        or package.endswith((".whl", ".tar.gz"))
        or (not is_vcs and "/" in package)
    )


RULE = Rule(
    code="DL3013",
    severity=Severity.WARNING,
    summary=(
        "Pin versions in pip. Instead of `pip install <package>` use `pip install "
        "<package>==<version>` or `pip install --requirement <requirements file>`"
    ),
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
