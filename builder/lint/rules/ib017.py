"""CMD or ENTRYPOINT in shell form.

## What it does
Reports a `CMD` or `ENTRYPOINT` written in shell form (`CMD nginx -g ...`) in a stage where no
`SHELL` instruction (in it or in the stages it is built on) chose the shell. This is BuildKit's
`JSONArgsRecommended` check, reported as `docker build --check` does. hadolint's DL3025 covers
the same ground differently (it also reports `HEALTHCHECK CMD`, and ignores `SHELL`; it can fix
the line): keep one of the two (see the README's lint section).

## Why is this bad?
The shell form runs the command under `/bin/sh -c`: the shell, not your program, is PID 1, so
the program never receives SIGTERM on `docker stop` and is killed after the timeout.

## Example
```dockerfile
CMD nginx -g "daemon off;"
```

## Use instead
```dockerfile
CMD ["nginx", "-g", "daemon off;"]
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import json_words
from builder.lint.dispatch import steps
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    for step in steps(dockerfile):
        instruction = step.instruction
        if instruction.keyword not in ("CMD", "ENTRYPOINT") or step.shell_set:
            continue
        if json_words(instruction.arguments) is None:
            yield RuleHit(
                instruction.line,
                f"JSON arguments recommended for {instruction.written_keyword} to prevent "
                "unintended behavior related to OS signals",
            )


RULE = Rule(
    code="IB017",
    severity=Severity.WARNING,
    summary="CMD or ENTRYPOINT in shell form",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("JSONArgsRecommended"),
)
