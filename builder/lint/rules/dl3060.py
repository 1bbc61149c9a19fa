"""`yarn cache clean` missing after `yarn install` was run.

## What it does
Reports a `RUN yarn install` not followed by `yarn cache clean` in the same instruction, in a stage
that ends up in an image (the last stage, or a stage another stage is built `FROM`). It is quiet
when the RUN mounts a BuildKit cache or tmpfs on yarn's cache directory (`~/.cache/yarn`,
`/usr/local/share/.cache/yarn`, Yarn Berry's `.yarn/cache` or `.yarn/berry/cache`): the
cache then never reaches the layer, which is the point of the rule.

## Why is this bad?
yarn's cache stays in the layer and makes the image larger for nothing.

## Example
```dockerfile
RUN yarn install --frozen-lockfile
```

## Use instead
```dockerfile
RUN yarn install --frozen-lockfile && yarn cache clean
# or
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
```
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.dockerfile import Dockerfile, Instruction
from builder.lint.model import LintContext, Rule, RuleHit, Severity
from builder.lint.runs import cache_mount_targets, script_commands
from builder.lint.runscript import run_script
from builder.refs import split_ref

_YARN_CACHE_PATHS = ("/.cache/yarn", "/.yarn/cache", "/.yarn/berry/cache", "/.yarn-cache")


def check(dockerfile: Dockerfile, context: LintContext) -> Iterator[RuleHit]:
    bases = {split_ref(stage.base).repository.lower() for stage in dockerfile.stages}
    last = dockerfile.stages[-1] if dockerfile.stages else None
    for instruction in dockerfile.instructions:
        if instruction.keyword != "RUN" or not _installs_without_clean(instruction):
            continue
        if instruction.stage < 0 or last is None:
            yield RuleHit(instruction.line)
            continue
        stage = dockerfile.stages[instruction.stage]
        is_final = stage.index == last.index or ((stage.base, stage.name) == (last.base, last.name))
        if is_final or (stage.name is not None and stage.name in bases):
            yield RuleHit(instruction.line)


def _installs_without_clean(instruction: Instruction) -> bool:
    uncleaned = False
    for command in script_commands(run_script(instruction)):
        if command.has_args("yarn", "install"):
            uncleaned = True
        elif command.has_args("yarn", "cache", "clean"):
            uncleaned = False
    return uncleaned and not _mounts_yarn_cache(instruction)


def _mounts_yarn_cache(instruction: Instruction) -> bool:
    return any(
        path in target + "/"
        for target in cache_mount_targets(instruction)
        for path in _YARN_CACHE_PATHS
    )


RULE = Rule(
    code="DL3060",
    severity=Severity.INFO,
    summary="`yarn cache clean` missing after `yarn install` was run.",
    check=check,
    explanation=__doc__ or "",
    applies_in_onbuild=True,
)
