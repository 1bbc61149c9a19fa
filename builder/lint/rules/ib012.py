"""Script downloaded and piped straight into a shell or interpreter.

## What it does
Reports `curl ... | sh`, `wget -O- ... | bash`, `curl ... | python3` and the like, and
`sh -c "$(curl ...)"` / `bash <(curl ...)`: running code fetched at build time, unverified.

## Why is this bad?
Whatever the server sends when the image is built is run as root in the build, unreviewed
and unpinned: a compromised or changed script changes the image, and a truncated download
may run half a script.

## Example
```dockerfile
RUN curl -fsSL https://example.com/install.sh | sh
```

## Use instead
```dockerfile
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \
    https://example.com/install.sh /tmp/install.sh
RUN sh /tmp/install.sh && rm /tmp/install.sh
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.pipes import pipes
from builder.lint.runscript import run_script
from builder.lint.shell import SimpleCommand

_DOWNLOADERS = frozenset({"curl", "wget"})
_INTERPRETERS = frozenset(
    {"sh", "bash", "zsh", "dash", "ash", "ksh", "python", "python3", "perl", "ruby", "node"}
)
_WRAPPERS = frozenset({"sudo", "env", "exec", "command"})
# A pattern, not a compiled one: `re` compiles it on first use, for a script naming a downloader.
_SUBSTITUTED = (
    r"\b(?:sh|bash|zsh|dash|ash|ksh)\s+(?:-\w+\s+)*(?:-c\s+)?[\"']?(?:\$\(|<\(|`)\s*"
    r"(?:\S*/)?(?:curl|wget)\b"
)


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword != "RUN":
            continue
        script = run_script(instruction)
        for pipe in pipes(script):
            writer, reader = _program(pipe.writer), _program(pipe.reader)
            if writer in _DOWNLOADERS and _interpreter(reader):
                yield RuleHit(
                    instruction.line,
                    f"`{writer} ... | {reader}` runs a downloaded script without verifying it",
                )
                break
        else:
            named = "curl" in script or "wget" in script
            if named and re.search(_SUBSTITUTED, script):
                yield RuleHit(instruction.line, "A downloaded script is run without verifying it")


def _program(command: SimpleCommand | None) -> str:
    """The program a command runs, looking through `sudo`, `env` and the like and paths."""
    if command is None:
        return ""
    words = [command.program, *command.args]
    while words and (words[0].rsplit("/", 1)[-1] in _WRAPPERS or words[0].startswith("-")):
        words = words[1:]
    while words and "=" in words[0]:
        words = words[1:]
    return words[0].rsplit("/", 1)[-1] if words else ""


def _interpreter(program: str) -> bool:
    return program in _INTERPRETERS or re.fullmatch(r"python3?(\.\d+)?", program) is not None


RULE = Rule(
    code="IB012",
    severity=Severity.WARNING,
    summary="Script downloaded and piped straight into a shell or interpreter",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
