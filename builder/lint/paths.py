"""The sources and destination of COPY and ADD, in both the shell and the JSON form."""

from __future__ import annotations

import shlex

from builder.dockerfile import Instruction
from builder.lint.runscript import exec_form


def sources_and_destination(instruction: Instruction) -> tuple[list[str], str]:
    """(sources, destination) with quotes removed; ([], "") when there is no destination."""
    words = exec_form(instruction.arguments)
    if words is None:
        try:
            words = shlex.split(instruction.arguments, posix=True)
        except ValueError:
            words = instruction.arguments.split()
    if len(words) < 2:
        return [], ""
    return words[:-1], words[-1]


def destination_as_written(instruction: Instruction) -> str:
    """The last word as written, quotes kept (`"/app/"`)."""
    words = exec_form(instruction.arguments)
    if words is not None:
        return words[-1] if words else ""
    parts = instruction.arguments.split()
    return parts[-1] if parts else ""
