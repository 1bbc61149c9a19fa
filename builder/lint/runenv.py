"""The ARG and ENV values a RUN sees, as far as the Dockerfile itself says.

Docker puts the stage's ARGs (with their defaults, or the global default for an `ARG NAME`
re-declared in the stage) and ENVs into the environment of every later RUN. Values from the
base image or from build args are unknown, so they are simply absent here.
"""

from __future__ import annotations

import re

from builder.dockerfile import Dockerfile, Instruction, parse_arg
from builder.lint.keyvalues import key_value_pairs

# A pattern, not a compiled one: `re` compiles it on first use (few scripts hold a `$`).
_REFERENCE = r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))"


def values_before(dockerfile: Dockerfile, instruction: Instruction) -> dict[str, str]:
    """ARG and ENV values set in the instruction's stage before it."""
    if instruction.stage < 0 or instruction.stage >= len(dockerfile.stages):
        return {}
    values: dict[str, str] = {}
    for earlier in dockerfile.stages[instruction.stage].instructions:
        if earlier.line >= instruction.line:
            break
        if earlier.keyword == "ARG":
            for name, default in parse_arg(earlier.arguments).items():
                value = default if default is not None else dockerfile.global_args.get(name)
                if value is not None:
                    values[name] = value
        elif earlier.keyword == "ENV":
            values.update(key_value_pairs(earlier.arguments))
    return values


def expand_known(script: str, values: dict[str, str]) -> str:
    """`$NAME` / `${NAME}` replaced where NAME is known; everything else left as written."""
    if not values or "$" not in script:
        return script

    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return values.get(name, match.group(0))

    return re.sub(_REFERENCE, replace, script)
