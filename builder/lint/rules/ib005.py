"""Usage of an undefined variable.

## What it does
Reports a build-time variable (`$NAME`, `${NAME}`, also `${NAME:-default}`) that BuildKit
expands in ENV, LABEL, ADD, COPY (with COPY and ADD heredocs), WORKDIR, USER, VOLUME,
STOPSIGNAL, ARG defaults and RUN `--mount=` options, when at that point the build has no such
variable: no ENV or ARG of the stage or of the stages it is built on set it, and no ARG of the
stage declares it. The predefined ARGs (`TARGETARCH`, proxies, ...) count only once an
`ARG TARGETARCH` brings them into the stage. A near name is suggested. This is BuildKit's
`UndefinedVar` check, reported as `docker build --check` does, with one difference: BuildKit
knows the environment of the base image, which lint does not pull. A base image is taken to
set PATH only, as most do; for a variable your base image sets (`$JAVA_HOME` in
`eclipse-temurin`), put `# check=skip=UndefinedVar` above the instruction. RUN scripts are left
to the shell.

## Why is this bad?
An undefined variable expands to the empty string: `COPY app /opt/$APP_DIR/` silently copies
to `/opt/`. The usual cause is a global ARG not redeclared in the stage, or a typo.

## Example
```dockerfile
ARG VERSION=1.2.3
FROM scratch
COPY app-${VERSION} /app
```

## Use instead
```dockerfile
ARG VERSION=1.2.3
FROM scratch
ARG VERSION
COPY app-${VERSION} /app
```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from builder.dockerfile import Dockerfile
from builder.lint.buildkitsyntax import arg_pairs
from builder.lint.dispatch import (
    NON_ENV_ARGS,
    Step,
    expanded_words,
    expansion,
    global_args,
    steps,
)
from builder.lint.model import BuildkitCheck, LintContext, Rule, RuleHit, Severity
from builder.lint.nearnames import closest
from builder.lint.shellwords import Expansion


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    globals_ = global_args(dockerfile).values
    for step in steps(dockerfile):
        if step.instruction.keyword == "ARG":
            yield from _arg_defaults(dockerfile, step, globals_)
            continue
        for word, quotes in expanded_words(step.instruction, dockerfile.escape):
            expanded = expansion(word, step.env, dockerfile.escape, quotes=quotes)
            if expanded is None:
                break  # BuildKit stops the build on a malformed word
            yield from _undefined(step, expanded, step.declared, list(step.env))


def _arg_defaults(
    dockerfile: Dockerfile, step: Step, globals_: Mapping[str, str]
) -> Iterator[RuleHit]:
    """ARG's defaults, expanded one by one as each name is declared (`ARG A=1 B=$A` is fine)."""
    env, declared = dict(step.env), set(step.declared)
    for name, default in arg_pairs(step.instruction.arguments, dockerfile.escape):
        value = globals_.get(name)
        if default is not None:
            expanded = expansion(default, env, dockerfile.escape)
            if expanded is None:
                return
            yield from _undefined(step, expanded, frozenset(declared), list(env))
            value = expanded.result
        if value is not None and name not in NON_ENV_ARGS:
            env[name] = value
        declared.add(name)


def _undefined(
    step: Step, expanded: Expansion, declared: frozenset[str] | set[str], known: list[str]
) -> Iterator[RuleHit]:
    for name in expanded.unmatched:
        if name in declared or name in NON_ENV_ARGS:
            continue
        message = f"Usage of undefined variable '${name}'"
        suggestion = closest(name, known)
        if suggestion:
            message += f" (did you mean ${suggestion}?)"
        yield RuleHit(step.instruction.line, message)


RULE = Rule(
    code="IB005",
    severity=Severity.WARNING,
    summary="Usage of an undefined variable",
    check=check,
    explanation=__doc__ or "",
    buildkit=BuildkitCheck("UndefinedVar"),
)
