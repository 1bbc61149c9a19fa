"""The walk through the stages as BuildKit's dispatcher makes it."""

from __future__ import annotations

from builder.dockerfile import parse_dockerfile
from builder.lint.dispatch import DEFAULT_PATH, global_args, steps


def test_global_args_hold_platform_args_and_expanded_defaults() -> None:
    globals_ = global_args(parse_dockerfile("ARG A=x-$TARGETARCH\nARG B\nFROM a AS last\n"))
    assert globals_.values["A"] == "x-amd64"
    assert globals_.values["TARGETSTAGE"] == "last"
    assert "B" not in globals_.values
    assert globals_.declared == {"A", "B"}


def test_state_before_each_instruction() -> None:
    text = (
        "ARG G=g\n"
        "FROM scratch AS base\n"
        "ARG G\n"
        "ARG N\n"
        "ENV E=$G\n"
        'SHELL ["/bin/bash", "-c"]\n'
        "WORKDIR /w\n"
        "FROM base\n"
        "RUN x\n"
        "FROM other\n"
        "RUN y\n"
    )
    walked = {step.instruction.line: step for step in steps(parse_dockerfile(text))}
    assert walked[5].env == {"PATH": DEFAULT_PATH, "G": "g"}
    assert walked[5].declared == {"G", "N"}
    child = walked[9]
    assert child.env == {"PATH": DEFAULT_PATH, "G": "g", "E": "g"}
    assert (child.declared, child.shell_set, child.workdir_set) == (
        frozenset({"G", "N"}),
        True,
        True,
    )
    unrelated = walked[11]
    assert (unrelated.env, unrelated.declared, unrelated.shell_set) == (
        {"PATH": DEFAULT_PATH},
        frozenset(),
        False,
    )


def test_steps_are_computed_once_per_file() -> None:
    dockerfile = parse_dockerfile("FROM a\nRUN x\n")
    assert steps(dockerfile) is steps(dockerfile)
