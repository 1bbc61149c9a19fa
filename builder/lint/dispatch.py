"""A walk through a Dockerfile's stages as BuildKit's dispatcher makes it, for its checks.

For each instruction of a stage: the build's variables just before it (the base image's, ENV,
ARG values, those of the stage it is built on), the ARG names declared so far, and whether a
SHELL or a WORKDIR came first; plus the global ARGs FROM lines see. It is what UndefinedVar,
WorkdirRelativePath, JSONArgsRecommended and the EXPOSE and COPY checks need to judge an
instruction as BuildKit does.

A base image's own environment is unknown here (lint never pulls an image): like `alpine` or
`debian`, it is taken to set PATH and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple

from builder.dockerfile import Dockerfile, Instruction, Stage
from builder.lint.buildkitsyntax import (
    arg_pairs,
    copy_sources,
    list_words,
    mount_values,
    name_values,
)
from builder.lint.shellwords import Expansion, ExpansionError, expand
from builder.platforms import Platform, predefined_args

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# BuildKit's SBOM switches are ARGs that never reach the environment.
NON_ENV_ARGS = frozenset({"BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"})


_AMD64 = Platform("linux", "amd64")


def platform_args(target: str) -> dict[str, str]:
    """The ARGs BuildKit defines for every build, as a build on linux/amd64 sets them."""
    return {**predefined_args(_AMD64, _AMD64), "TARGETSTAGE": target or "default"}


class Globals(NamedTuple):
    values: Mapping[str, str]  # what a FROM line may expand: platform ARGs, global ARG values
    declared: frozenset[str]  # every ARG before the first FROM, with a value or not


def global_args(dockerfile: Dockerfile) -> Globals:
    """The global ARGs with their defaults expanded, as a build without build args sees them."""
    last = dockerfile.stages[-1].name if dockerfile.stages else None
    values = platform_args(last or "")
    declared: set[str] = set()
    for instruction in dockerfile.instructions:
        if instruction.stage >= 0:
            break
        if instruction.keyword != "ARG":
            continue
        for name, default in arg_pairs(instruction.arguments, dockerfile.escape):
            declared.add(name)
            if default is not None:
                try:
                    values[name] = expand(default, values, dockerfile.escape).result
                except ExpansionError:
                    continue
    return Globals(values, frozenset(declared))


class Step(NamedTuple):
    """The build's state just before `instruction` runs."""

    instruction: Instruction
    env: Mapping[str, str]
    declared: frozenset[str]  # ARG names of this stage and the stages it is built on
    shell_set: bool  # a SHELL instruction came before, here or in a parent stage
    workdir_set: bool  # a WORKDIR came before, here or in a parent stage


class _State:
    """A stage's state as the walk goes (a plain class: made once per stage, changed often)."""

    def __init__(self, parent: _State | None = None) -> None:
        self.env: dict[str, str] = dict(parent.env) if parent else {"PATH": DEFAULT_PATH}
        self.declared: set[str] = set(parent.declared) if parent else set()
        self.shell_set: bool = parent.shell_set if parent else False
        self.workdir_set: bool = parent.workdir_set if parent else False


_CACHE: dict[int, tuple[Dockerfile, tuple[Step, ...]]] = {}


def steps(dockerfile: Dockerfile) -> tuple[Step, ...]:
    """Every instruction of every stage with the state before it (computed once per file)."""
    cached = _CACHE.get(id(dockerfile))
    if cached is not None and cached[0] is dockerfile:
        return cached[1]
    walked = tuple(_walk(dockerfile, global_args(dockerfile)))
    _CACHE.clear()
    _CACHE[id(dockerfile)] = (dockerfile, walked)
    return walked


def _walk(dockerfile: Dockerfile, globals_: Globals) -> Iterator[Step]:
    finished: dict[int, _State] = {}
    for stage in dockerfile.stages:
        parent = base_stage(dockerfile, stage, globals_)
        state = _State(finished[parent.index] if parent is not None else None)
        for instruction in stage.instructions[1:]:
            yield Step(
                instruction,
                dict(state.env),
                frozenset(state.declared),
                state.shell_set,
                state.workdir_set,
            )
            _apply(instruction, state, globals_, dockerfile.escape)
        finished[stage.index] = state


def base_stage(dockerfile: Dockerfile, stage: Stage, globals_: Globals) -> Stage | None:
    """The earlier stage this one is built `FROM` (by its expanded name), if any."""
    try:
        name = expand(stage.base, globals_.values, dockerfile.escape).result
    except ExpansionError:
        return None
    found = [earlier for earlier in dockerfile.stages[: stage.index] if earlier.name == name]
    return found[-1] if found else None


def platform_expansions(dockerfile: Dockerfile) -> Iterator[tuple[Stage, Expansion]]:
    """Each `FROM --platform=` expanded with the global ARGs, up to one BuildKit fails on."""
    values = global_args(dockerfile).values
    for stage in dockerfile.stages:
        if not stage.platform:
            continue
        try:
            yield stage, expand(stage.platform, values, dockerfile.escape)
        except ExpansionError:
            return


def _apply(instruction: Instruction, state: _State, globals_: Globals, escape: str) -> None:
    keyword = instruction.keyword
    if keyword == "ENV":
        updates = {}
        for pair in name_values(instruction.arguments, escape) or []:
            name = _expanded(pair.name, state.env, escape)
            updates[name] = _expanded(pair.value, state.env, escape)
        state.env.update(updates)
    elif keyword == "ARG":
        for name, default in arg_pairs(instruction.arguments, escape):
            value = globals_.values.get(name) if default is None else None
            if default is not None:
                value = _expanded(default, state.env, escape)
            if value is not None and name not in NON_ENV_ARGS:
                state.env[name] = value
            state.declared.add(name)
    elif keyword == "SHELL":
        state.shell_set = True
    elif keyword == "WORKDIR":
        state.workdir_set = True


def _expanded(word: str, env: Mapping[str, str], escape: str) -> str:
    try:
        return expand(word, env, escape).result
    except ExpansionError:
        return word


def expanded_words(instruction: Instruction, escape: str) -> list[tuple[str, bool]]:
    """The words BuildKit expands in the instruction, each with whether quotes count (heredoc
    bodies are expanded as raw text). ARG defaults are expanded one by one as they are set."""
    keyword, arguments = instruction.keyword, instruction.arguments
    if keyword in ("ENV", "LABEL"):
        pairs = name_values(arguments, escape) or []
        return [(word, True) for pair in pairs for word in (pair.name, pair.value)]
    if keyword in ("WORKDIR", "USER", "STOPSIGNAL"):
        return [(arguments, True)] if arguments else []
    if keyword == "VOLUME":
        return [(word, True) for word in list_words(arguments)]
    if keyword == "RUN":
        return [(value, True) for value in mount_values(instruction)]
    if keyword in ("COPY", "ADD"):
        names = ("chown", "chmod", "checksum") if keyword == "ADD" else ("chown", "chmod")
        words = [(value, True) for name in names if (value := instruction.flag(name))]
        sources = copy_sources(instruction)
        if sources is not None:
            words += [(path, True) for path in (*sources.paths, sources.destination)]
            words += [(body, False) for body in sources.expanded_contents]
        return words
    return []


def expansion(
    word: str, env: Mapping[str, str], escape: str, *, quotes: bool = True
) -> Expansion | None:
    """The word expanded in `env`; None where BuildKit would fail on it. Raw text
    (`quotes=False`, heredoc bodies) is always read with the backslash escape."""
    try:
        return expand(word, env, escape if quotes else "\\", process_quotes=quotes)
    except ExpansionError:
        return None
