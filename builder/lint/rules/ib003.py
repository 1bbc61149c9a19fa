"""Instruction keywords should all use the same case.

## What it does
Reports each instruction whose keyword is not written in the case most instructions of the
file's stages use (upper case on a tie; a keyword in mixed case like `From` counts for
neither). This is BuildKit's `ConsistentInstructionCasing` check, reported as
`docker build --check` does: the ARGs before the first FROM are neither counted nor reported,
and only a `# check=` at the top of the file turns it off. Fixable: `--fix` rewrites the
keyword in the file's majority case.

## Why is this bad?
A file that mixes `RUN` and `run` is harder to read and to search, and usually means parts of
it were pasted from elsewhere without review.

## Example
```dockerfile
FROM alpine:3.20
run apk add --no-cache curl
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import BuildkitCheck, Edit, LintContext, Rule, RuleHit, Severity

_KEYWORDS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    instructions = [i for i in dockerfile.instructions if i.keyword in _KEYWORDS and i.stage >= 0]
    lower = sum(1 for i in instructions if i.written_keyword == i.written_keyword.lower())
    upper = sum(1 for i in instructions if i.written_keyword == i.written_keyword.upper())
    use_lower = lower > upper
    for instruction in instructions:
        written = instruction.written_keyword
        if written == (written.lower() if use_lower else written.upper()):
            continue
        case = "lowercase" if use_lower else "uppercase"
        yield RuleHit(
            instruction.line,
            f"Command '{written}' should match the case of the command majority ({case})",
            fix=_recased(instruction, use_lower),
        )


def _recased(instruction: Instruction, lower: bool) -> Edit | None:
    first_line = instruction.text.splitlines(keepends=True)[0]
    written = instruction.written_keyword
    index = first_line.find(written)
    if index < 0:
        return None
    keyword = written.lower() if lower else written.upper()
    text = first_line[:index] + keyword + first_line[index + len(written) :]
    return Edit(instruction.line, instruction.line, text)


RULE = Rule(
    code="IB003",
    severity=Severity.STYLE,
    summary="Instruction keywords should all use the same case",
    check=check,
    explanation=__doc__ or "",
    fixable=True,
    buildkit=BuildkitCheck("ConsistentInstructionCasing", per_instruction=False),
)
