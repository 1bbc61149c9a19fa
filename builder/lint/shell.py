"""Just enough shell parsing for lint rules: split a RUN script into simple commands.

Not a shell parser: it finds the simple commands of a script as hadolint (through ShellCheck)
sees them, with their words (quotes removed). ShellCheck-level analysis is out of scope.
"""

from __future__ import annotations

import re
from typing import NamedTuple


def join_continuations(script: str) -> str:
    return re.sub(r"\\\r?\n", " ", script)


# --- Simple commands as hadolint sees them -------------------------------------------------------
#
# hadolint's shell rules look at every simple command ShellCheck finds in a script, nested ones
# included (`$(...)`, backticks, subshells, `if`/`for` bodies), with the program name as written
# (only `command`, `builtin`, `busybox` and `exec` are looked through; `sudo` is not) and every
# expansion in a word shown as `${VAR}`. Matching that view is what keeps our DL findings on the
# same lines as hadolint's.

_VARIABLE = "${VAR}"
_ASSIGNMENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
_OPERATOR_CHARS = ";&|()"
_OPERATORS = ("&&", "||", ";;&", ";;", ";&", "|&", "&>>", "&>", ";", "&", "|", "(", ")")
# Characters a word takes as they are, a run at a time (in a word, `#` is one of them).
_PLAIN_RUN_RE = re.compile(r"[^ \t\r\n;&|()<>\\'\"$`]+")
_LEADING_KEYWORDS = frozenset(
    {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "fi", "done", "esac"}
)
_WRAPPERS = frozenset({"command", "builtin", "busybox", "run"})


class SimpleCommand(NamedTuple):  # not a dataclass: cheaper to define at every lint's start
    """One simple command: `program` as written and `args`, every word after the first."""

    program: str
    args: tuple[str, ...]
    # the arguments with expansions as written (`foo-${VERSION}`), quotes still removed
    raw_args: tuple[str, ...] = ()

    @property
    def flags(self) -> list[tuple[str, int]]:
        """hadolint's flags with their arg index: `--name[=v]` gives `name`, `-ab` `a` and `b`."""
        found: list[tuple[str, int]] = []
        for index, word in enumerate(self.args):
            if word in ("-", "--"):
                continue
            if word.startswith("--"):
                found.append((word[2:].split("=", 1)[0], index))
            elif word.startswith("-"):
                found.extend((letter, index) for letter in word[1:])
        return found

    def has_args(self, program: str, *args: str) -> bool:
        """hadolint's cmdHasArgs: the program is `program` and any of `args` is an argument."""
        return self.program == program and any(arg in args for arg in self.args)

    def has_flag(self, *names: str) -> bool:
        return any(name in names for name, _ in self.flags)

    def has_arg(self, arg: str) -> bool:
        return arg in self.args

    def flag_arguments(self, name: str) -> list[str]:
        """The words right after each `name` flag (`useradd -u 1000` -> ["1000"])."""
        indexes = {index + 1 for flag, index in self.flags if flag == name}
        return [word for index, word in enumerate(self.args) if index in indexes]

    def args_no_flags(self, dropping_values_of: tuple[str, ...] = ()) -> list[str]:
        """The arguments that are not flags, also dropping the value word after each flag named
        in `dropping_values_of` (`--index-url URL`; not after `--index-url=URL`)."""
        flags = self.flags
        flag_indexes = {index for _, index in flags}
        dropped = {
            index + 1
            for name, index in flags
            if name in dropping_values_of and "=" not in self.args[index]
        }
        return [
            word
            for index, word in enumerate(self.args)
            if index not in flag_indexes and index not in dropped
        ]


def simple_commands(script: str) -> list[SimpleCommand]:
    """Every simple command of `script`, in ShellCheck's order (outer before nested)."""
    found: list[SimpleCommand] = []
    _collect(join_continuations(script), found, depth=0)
    return found


class _Word:
    """A word as the lexer reads it (a plain class: cheaper to define at every lint's start)."""

    __slots__ = ("literal", "nested", "raw", "started", "text")

    def __init__(self) -> None:
        self.text = ""
        self.raw = ""
        self.literal = True
        self.nested: list[str] = []
        self.started = False


def _collect(script: str, found: list[SimpleCommand], depth: int) -> None:
    if depth > 20:
        return
    command: list[_Word] = []
    state = _ParseState()
    for token in _lex(script):
        if isinstance(token, str):
            _finish(command, found, depth, state, token)
            command = []
        else:
            command.append(token)
    _finish(command, found, depth, state, "")


class _ParseState:
    __slots__ = ("in_header", "in_pattern")

    def __init__(self) -> None:
        self.in_pattern = False  # reading a `case` pattern, up to its `)`
        self.in_header = False  # reading a `for`/`select` header, up to `do`


def _finish(
    words: list[_Word], found: list[SimpleCommand], depth: int, state: _ParseState, ender: str
) -> None:
    """Record the command made of `words`, which the operator `ender` ended."""
    if not words:
        state.in_pattern = state.in_pattern or ender in (";;", ";&", ";;&")
        return
    index = 0
    while index < len(words) and words[index].literal and words[index].text in _LEADING_KEYWORDS:
        index += 1
    rest = words[index:]
    first = rest[0].text if rest and rest[0].literal else ""
    if state.in_pattern:
        ends_case = any(word.literal and word.text == "esac" for word in words)
        state.in_pattern = ender not in (")", "\n", ";") and not ends_case
        rest = []
    elif state.in_header or first in ("for", "select"):
        state.in_header = not any(word.text == "do" for word in rest) and ender not in (";", "\n")
        if any(word.text == "do" for word in rest):
            rest = rest[[word.text for word in rest].index("do") + 1 :]
        else:
            rest = []
    elif first == "case":
        # `case x in a)` ends at the pattern's `)`; `case x in` (then a newline) does not
        state.in_pattern = ender != ")"
        rest = []
    elif first == "[[":
        rest = []
    if ender in (";;", ";&", ";;&"):
        state.in_pattern = True
    while rest and rest[0].started and _ASSIGNMENT_RE.match(rest[0].text):
        rest = rest[1:]
    if rest and rest[0].literal:
        args = tuple(word.text for word in rest[1:])
        raw = tuple(word.raw for word in rest[1:])
        found.append(SimpleCommand(_unwrap(rest[0].text, args), args, raw))
    for word in words:
        for inner in word.nested:
            _collect(inner, found, depth + 1)


def _unwrap(program: str, args: tuple[str, ...]) -> str:
    if program in _WRAPPERS and args and not args[0].startswith("-"):
        return args[0]
    if program == "exec":
        skip_next = False
        for arg in args:
            if skip_next:
                skip_next = False
            elif arg == "-a":
                skip_next = True
            elif not arg.startswith("-"):
                return arg
    return program


def _lex(script: str) -> list[str | _Word]:
    """Words (quotes removed, expansions as `${VAR}`) and operators; redirections dropped."""
    tokens: list[str | _Word] = []
    word = _Word()
    heredocs: list[tuple[str, bool]] = []
    length = len(script)
    position = 0

    def end_word() -> None:
        nonlocal word
        if word.started:
            tokens.append(word)
        word = _Word()

    while position < length:
        char = script[position]
        if char in " \t\r":
            end_word()
            position += 1
        elif char == "\n":
            end_word()
            tokens.append("\n")
            position += 1
            if heredocs:
                position = _skip_heredoc_bodies(script, position, heredocs)
                heredocs = []
        elif char == "#" and not word.started:
            newline = script.find("\n", position)
            position = length if newline < 0 else newline
        elif char in _OPERATOR_CHARS:
            if char == "&" and script.startswith("&>", position):
                end_word()
                operator_end = position + (3 if script.startswith("&>>", position) else 2)
                position = _skip_redirect_target(script, operator_end)
                continue
            end_word()
            operator = next(op for op in _OPERATORS if script.startswith(op, position))
            tokens.append(operator)
            position += len(operator)
        elif char in "<>":
            if script.startswith("<(", position):
                position = _read_process_substitution(script, position, word)
                continue
            if word.started and word.literal and word.text.isdigit():
                word = _Word()  # the file descriptor of `2>`: part of the redirection
            end_word()
            position = _skip_redirection(script, position, heredocs)
        else:
            position = _read_word_part(script, position, word)
    end_word()
    return tokens


def _read_process_substitution(script: str, position: int, word: _Word) -> int:
    """`<(...)` at `position` joins `word` as an expansion; returns the position after it."""
    end, inner = _matching(script, position + 1, "(", ")")
    word.nested.append(inner)
    word.text += _VARIABLE
    word.raw += script[position:end]
    word.literal = False
    word.started = True
    return end


def _skip_redirection(script: str, position: int, heredocs: list[tuple[str, bool]]) -> int:
    """Past the redirection at `position` and its target; a heredoc's delimiter is noted in
    `heredocs` (its body is skipped at the end of the line)."""
    match = re.match(r"<<<|<<-|<<|<>|<&|>>|>&|>\||<|>", script[position:])
    operator = match.group(0) if match else script[position]
    position += len(operator)
    if operator not in ("<<", "<<-"):
        return _skip_redirect_target(script, position)
    position, delimiter = _read_delimiter(script, position)
    if delimiter:
        heredocs.append((delimiter, operator == "<<-"))
    return position


def _read_word_part(script: str, position: int, word: _Word) -> int:
    char = script[position]
    word.started = True
    if char == "\\":
        word.text += script[position + 1 : position + 2]
        word.raw += script[position + 1 : position + 2]
        return position + 2
    if char == "'":
        return _read_single_quoted(script, position + 1, word)
    if char == '"':
        return _read_double_quoted(script, position + 1, word)
    if char == "$" or char == "`":
        return _read_expansion(script, position, word)
    match = _PLAIN_RUN_RE.match(script, position)  # `char` and what follows it so
    run = match.group() if match else char
    word.text += run
    word.raw += run
    return position + len(run)


def _read_single_quoted(script: str, start: int, word: _Word) -> int:
    """Take `'...'` (or `$'...'`) from `start` to its closing quote, or to the end."""
    end = script.find("'", start)
    end = len(script) if end < 0 else end
    word.text += script[start:end]
    word.raw += script[start:end]
    return end + 1


def _read_double_quoted(script: str, position: int, word: _Word) -> int:
    while position < len(script):
        char = script[position]
        if char == '"':
            return position + 1
        if char == "\\" and script[position + 1 : position + 2] in ('"', "\\", "$", "`"):
            word.text += script[position + 1]
            word.raw += script[position + 1]
            position += 2
        elif char in "$`":
            position = _read_expansion(script, position, word)
        else:
            word.text += char
            word.raw += char
            position += 1
    return position


def _read_expansion(script: str, position: int, word: _Word) -> int:
    """`$name`, `${...}`, `$(...)`, `$((...))`, backticks; a lone `$` stays literal."""
    if script[position] == "`":
        end = position + 1
        while end < len(script) and script[end] != "`":
            end += 2 if script[end] == "\\" else 1
        word.nested.append(script[position + 1 : end].replace("\\`", "`"))
        word.text += _VARIABLE
        word.raw += script[position : end + 1]
        word.literal = False
        return end + 1
    following = script[position + 1 : position + 2]
    if script.startswith("$((", position):
        end, _ = _matching(script, position + 1, "(", ")")
    elif following == "(":
        end, inner = _matching(script, position + 1, "(", ")")
        word.nested.append(inner)
    elif following == "{":
        end, _ = _matching(script, position + 1, "{", "}")
    elif following == "'":
        return _read_single_quoted(script, position + 2, word)
    elif following and (following.isalnum() or following in "_@*#?$!-"):
        end = position + 2
        if following.isalpha() or following == "_":
            while end < len(script) and (script[end].isalnum() or script[end] == "_"):
                end += 1
    else:
        word.text += "$"
        word.raw += "$"
        return position + 1
    word.text += _VARIABLE
    word.raw += script[position:end]
    word.literal = False
    return end


def _matching(script: str, position: int, opening: str, closing: str) -> tuple[int, str]:
    """From an opening bracket at `position`: (index after its match, the text inside)."""
    depth = 0
    index = position
    quote = ""
    while index < len(script):
        char = script[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char == "\\":
            index += 1
        elif char in "'\"`":
            quote = char
        elif char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index + 1, script[position + 1 : index]
        index += 1
    return len(script), script[position + 1 :]


def _skip_redirect_target(script: str, position: int) -> int:
    while position < len(script) and script[position] in " \t":
        position += 1
    target = _Word()
    while position < len(script) and script[position] not in " \t\r\n" + _OPERATOR_CHARS + "<>":
        position = _read_word_part(script, position, target)
    return position


def _read_delimiter(script: str, position: int) -> tuple[int, str]:
    while position < len(script) and script[position] in " \t":
        position += 1
    delimiter = _Word()
    while position < len(script) and script[position] not in " \t\r\n" + _OPERATOR_CHARS + "<>":
        position = _read_word_part(script, position, delimiter)
    return position, delimiter.text


def _skip_heredoc_bodies(script: str, position: int, heredocs: list[tuple[str, bool]]) -> int:
    for delimiter, strip_tabs in heredocs:
        while position < len(script):
            newline = script.find("\n", position)
            end = len(script) if newline < 0 else newline
            line = script[position:end].rstrip("\r")
            position = end + 1
            if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                break
    return min(position, len(script))
