"""Empty continuation line.

## What it does
Reports an instruction continued (`\\`) over an empty line, on the instruction's last line (the
one the continuation ends on). This is BuildKit's `NoEmptyContinuation` check, reported as
`docker build --check` does: on the whole file even when a line of it does not parse, and
turned off only by a `# check=` at the top of the file.

## Why is this bad?
Docker skips the empty line and goes on with the instruction, but a reader (and many tools)
take it as the instruction's end; future Docker versions may refuse it. It often hides a
command someone thought was commented out or removed.

## Example
```dockerfile
RUN apt-get update \

    && apt-get install -y curl
```

## Use instead
```dockerfile
RUN apt-get update \
    && apt-get install -y curl
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.model import BuildkitCheck, CheckPhase, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    # BuildKit's own reading of lines: a line continues when it ends with the escape character
    # not itself escaped (`C:\\` does not continue); comment lines inside are skipped.
    escape = re.escape(dockerfile.escape)
    # Most files have no escape at a line's end followed, past comments, by a blank line.
    if not re.search(rf"{escape}[ \t]*\r?\n(?:[ \t]*#.*\n)*[ \t]*\r?(?:\n|$)", dockerfile.text):
        return
    continues = re.compile(rf"(?:[^{escape}]|^){escape}[ \t]*$")
    lines = [line.rstrip("\r") for line in dockerfile.text.split("\n")]
    bodies = {
        number
        for instruction in dockerfile.instructions
        if instruction.heredocs
        for number in range(instruction.heredocs[0].line, instruction.end_line + 1)
    }
    index = 0
    while index < len(lines):
        line = lines[index].lstrip()
        index += 1
        if index in bodies or not line or line.startswith("#"):
            continue
        continuing, empty = bool(continues.search(line)), False
        while continuing and index < len(lines):
            line = lines[index]
            index += 1
            if line.lstrip().startswith("#"):
                continue
            if not line.strip():
                empty = True
                continue
            continuing = bool(continues.search(line))
        if empty:
            yield RuleHit(index, "Empty continuation line")


RULE = Rule(
    code="IB007",
    severity=Severity.WARNING,
    summary="Empty continuation line",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("NoEmptyContinuation", CheckPhase.PARSER, per_instruction=False),
)
