"""Pipes in a shell script: where `a | b` occurs and the commands on each side.

A scan that knows quotes, escapes and comments, enough to tell `a | b` from `a || b`,
`echo "a | b"` and `# a | b`. Pipes inside `$(...)` count, as they do for ShellCheck.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from builder.lint.shell import SimpleCommand, join_continuations, simple_commands

_KEYWORD_RE = re.compile(r"(case|in|esac)(?=[\s;)]|$)")
# Runs of characters the scan passes over one by one to no effect: inside a word (past its
# first character), in single quotes (where a backtick still opens a substitution, as below),
# in double quotes.
_IN_WORD_RE = re.compile(r"(?:[^ \t\n|&;(){}'\"`$\\]|\$(?!\())+")
_IN_QUOTES_RE = {"'": re.compile(r"[^'`]+"), '"': re.compile(r'(?:[^"\\`$]|\$(?!\())+')}


class Pipe(NamedTuple):  # not a dataclass: cheaper to define at every lint's start
    left: str  # the text of the command writing into the pipe
    right: str  # the text of the command reading from it

    @property
    def writer(self) -> SimpleCommand | None:
        commands = simple_commands(self.left)
        return commands[0] if commands else None

    @property
    def reader(self) -> SimpleCommand | None:
        commands = simple_commands(self.right)
        return commands[0] if commands else None


def pipes(script: str) -> list[Pipe]:
    """Every pipe of `script`, in order."""
    text = join_continuations(script)
    cuts = _cuts(text)
    found: list[Pipe] = []
    for index, (position, kind) in enumerate(cuts):
        if kind != "|":
            continue
        start = cuts[index - 1][0] + len(cuts[index - 1][1]) if index else 0
        end = cuts[index + 1][0] if index + 1 < len(cuts) else len(text)
        found.append(Pipe(text[start:position], text[position + 1 : end].lstrip("&")))
    return found


def first_pipe(script: str) -> int | None:
    """Where the first pipe of `script` (continuations joined) is, or None."""
    return next((position for position, kind in _cuts(script) if kind == "|"), None)


@functools.lru_cache(maxsize=1024)  # DL4006 and IB012 scan each RUN's script
def _cuts(text: str) -> tuple[tuple[int, str], ...]:
    """Positions of pipes (`|`, `|&`) and of the other control operators that end a command."""
    cuts: list[tuple[int, str]] = []
    quote = ""
    position = 0
    at_word_start = True
    case = _CaseState()
    while position < len(text):
        char = text[position]
        if at_word_start and not quote:
            case.see_word(text, position)
        if case.in_pattern and not quote and char in "|)":
            case.in_pattern = char == "|"
            if char == ")":
                cuts.append((position, ")"))
            position += 1
            at_word_start = True
            continue
        if char == "`" or (char == "$" and text.startswith("$(", position) and quote != "'"):
            # a command substitution, in or out of double quotes: its pipes count
            start = position + (1 if char == "`" else 2)
            end = _closing(text, start, char)
            cuts.extend((start + offset, kind) for offset, kind in _cuts(text[start:end]))
            position = end + 1
            at_word_start = False
            continue
        if quote:
            if char == "\\" and quote == '"':
                position += 1
            elif char == quote:
                quote = ""
            position += 1
            if quote and (run := _IN_QUOTES_RE[quote].match(text, position)):
                position = run.end()
            continue
        if char == "\\":
            position += 2
            at_word_start = False
            continue
        if char in "'\"":
            quote = char
        elif char == "|" and not text.startswith("||", position):
            cuts.append((position, "|"))
        else:
            after = _control(text, position, at_word_start, case, cuts)
            if after is not None:
                position, at_word_start = after, True
                continue
        at_word_start = char in " \t|&;\n()"
        position += 1
        if not at_word_start and (run := _IN_WORD_RE.match(text, position)):
            position = run.end()
    return tuple(cuts)


class _CaseState:
    """Where a scan is in `case x in a|b) ...;; esac`: the `|` between patterns is no pipe."""

    __slots__ = ("awaiting_in", "in_pattern", "open")

    def __init__(self) -> None:
        self.open = 0
        self.awaiting_in = False
        self.in_pattern = False

    def see_word(self, text: str, position: int) -> None:
        word = _KEYWORD_RE.match(text, position)
        keyword = word.group(1) if word else ""
        if keyword == "in" and self.awaiting_in:
            self.awaiting_in, self.in_pattern = False, True
        elif keyword and _at_command_start(text, position):
            if keyword == "case":
                self.open, self.awaiting_in = self.open + 1, True
            elif keyword == "esac" and self.open:
                self.open, self.in_pattern = self.open - 1, False


def _control(
    text: str, position: int, at_word_start: bool, case: _CaseState, cuts: list[tuple[int, str]]
) -> int | None:
    """At an unquoted character: past the comment or the control operator (`||`, `&&`, `;`,
    a newline, a bracket) that starts there, recorded in `cuts`; None for any other."""
    char = text[position]
    if char == "#" and at_word_start:
        newline = text.find("\n", position)
        return len(text) if newline < 0 else newline
    if text.startswith("||", position):
        cuts.append((position, "||"))
        return position + 2
    if char in ";\n(){}" or (char == "&" and _is_control_ampersand(text, position)):
        operator = "&&" if text.startswith("&&", position) else char
        if case.open and text.startswith((";;", ";&"), position):
            case.in_pattern = True
        cuts.append((position, operator))
        return position + len(operator)
    return None


def _closing(text: str, start: int, opener: str) -> int:
    """The index of the `)` (or backtick) closing a substitution whose text begins at `start`."""
    depth = 1
    quote = ""
    position = start
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if opener == "`":
            if char == "`":
                return position
        elif quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
        position += 1
    return len(text)


# Reserved words after which a command starts, as `case` does in `do case $x in a|b) ...`.
_COMMAND_PREFIXES = frozenset({"do", "then", "else", "elif", "if", "while", "until", "!"})


def _at_command_start(text: str, position: int) -> bool:
    before = text[:position].rstrip(" \t")
    if not before or before[-1] in ";&|\n(){":
        return True
    words = before.split()
    return words[-1] in _COMMAND_PREFIXES and _at_command_start(
        before, len(before) - len(words[-1])
    )


def _is_control_ampersand(text: str, position: int) -> bool:
    """`&` and `&&` end commands; `>&2`, `&>file` and `|&` do not."""
    before = text[position - 1] if position else ""
    after = text[position + 1 : position + 2]
    return before not in "<>|" and after != ">"
