"""Use arguments JSON notation for CMD and ENTRYPOINT arguments.

## What it does
Reports CMD, ENTRYPOINT and `HEALTHCHECK CMD` written in shell form (`CMD nginx -g ...`)
rather than exec form (`CMD ["nginx", "-g", ...]`). `--fix` rewrites a CMD or ENTRYPOINT into
exec form where that is safe: plain words only, no shell operators, redirections, variables,
globs, escapes or quoted text that only a shell would read.
IB017 reports the same ground as BuildKit's `JSONArgsRecommended` does (CMD and ENTRYPOINT only,
not after a SHELL): ignore one of the two to avoid a double report (see the README's lint
section).

## Why is this bad?
The shell form runs the command under `/bin/sh -c`: the shell, not your program, is PID 1, so
the program never receives SIGTERM on `docker stop` and is killed after the timeout. An
ENTRYPOINT in shell form also ignores CMD and `docker run` arguments.

## Example
```dockerfile
CMD gunicorn --bind 0.0.0.0:8000 app:app
```

## Use instead
```dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]
```
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import Edit, LintContext, Rule, RuleHit, Severity
from builder.lint.runscript import exec_form

# Patterns, not compiled ones: `re` compiles each on first use (most files never need it).
# A word made only of these needs no shell to mean what it says.
_PLAIN_WORD = r"^[A-Za-z0-9_@%+=:,./-]+$"
_KEYWORD = r"^(\s*\S+\s+)"


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for instruction in dockerfile.instructions:
        if instruction.keyword in ("CMD", "ENTRYPOINT"):
            if exec_form(instruction.arguments) is None:
                yield RuleHit(instruction.line, fix=_fix(instruction))
        elif instruction.keyword == "HEALTHCHECK":
            words = instruction.arguments.split(None, 1)
            if len(words) == 2 and words[0].upper() == "CMD" and exec_form(words[1]) is None:
                yield RuleHit(instruction.line)


def _fix(instruction: Instruction) -> Edit | None:
    if instruction.line != instruction.end_line or instruction.flags:
        return None
    arguments = instruction.arguments.strip()
    if not arguments:
        return None
    if re.search(r"[\"'\\]", arguments):
        return None
    words = shlex.split(arguments, posix=True)
    if not all(re.match(_PLAIN_WORD, word) for word in words):
        return None
    if "=" in words[0]:  # `FOO=1 cmd` sets a variable for the shell
        return None
    match = re.match(_KEYWORD, instruction.text, re.IGNORECASE)
    if match is None:
        return None
    ending = instruction.text[len(instruction.text.rstrip("\r\n")) :]
    text = match.group(1) + json.dumps(words) + ending
    return Edit(instruction.line, instruction.end_line, text)


RULE = Rule(
    code="DL3025",
    severity=Severity.WARNING,
    summary="Use arguments JSON notation for CMD and ENTRYPOINT arguments",
    check=check,
    explanation=__doc__ or "",
    fixable=True,
)
