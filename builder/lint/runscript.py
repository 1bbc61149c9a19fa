"""The shell script a RUN instruction runs, as the shell-reading rules should see it.

The exec form `RUN ["sh", "-c", "a | b"]` is read as its words joined by spaces, as hadolint
does. With heredocs, the command line is the script; a heredoc body is part of the script too
when the shell runs it: `RUN <<EOF` alone, or a body fed to a shell (`RUN bash <<EOF`), unless
its first line is a shebang naming another interpreter (`#!/usr/bin/env python3`). A body that
is data (`RUN cat > /etc/app.conf <<EOF`) or another language (`RUN python3 <<EOF`) is not shell.
"""

from __future__ import annotations

import json
import re
import shlex

from builder.dockerfile import Instruction

# Patterns, not compiled ones: `re` compiles each on first use (few RUNs have heredocs).
_HEREDOC_OPERATOR = r"<<-?\s*([\"']?)[A-Za-z_][A-Za-z0-9_]*\1"
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"})
_SHEBANG = r"^#!\s*(\S+)(?:\s+(\S+))?"


def run_script(instruction: Instruction) -> str:
    """The shell text of a RUN: its command line, plus heredoc bodies that the shell runs."""
    arguments = instruction.arguments
    words = exec_form(arguments)
    if words is not None:
        return " ".join(words)
    if not instruction.heredocs:
        return arguments
    command_line = re.sub(_HEREDOC_OPERATOR, " ", arguments).strip()
    first_word = command_line.split(None, 1)[0].rsplit("/", 1)[-1] if command_line else ""
    parts = [command_line] if command_line else []
    if not command_line or first_word in _SHELLS:
        parts.extend(body for body in (h.body for h in instruction.heredocs) if is_shell(body))
    return "\n".join(parts)


def is_shell(body: str) -> bool:
    """False when a script's shebang names an interpreter other than a POSIX-like shell."""
    match = re.match(_SHEBANG, body)
    if match is None:
        return True
    program = match.group(1).rsplit("/", 1)[-1]
    if program == "env" and match.group(2):
        program = match.group(2).rsplit("/", 1)[-1]
    return program in _SHELLS


def exec_form(arguments: str) -> list[str] | None:
    """The words of a JSON array (`["a", "b"]`), or None when the arguments are shell form."""
    text = arguments.strip()
    if not text.startswith("["):
        return None
    try:
        words = json.loads(text)
    except ValueError:
        return None
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        return None
    return words


def argument_words(arguments: str) -> list[str]:
    """The words of JSON or plain arguments (COPY, ADD, SHELL), quotes removed."""
    words = exec_form(arguments)
    if words is not None:
        return words
    try:
        return shlex.split(arguments)
    except ValueError:
        return arguments.split()
