"""Just enough shell parsing for lint rules: split a RUN script into simple commands.

Not a shell parser: it splits on `;`, `&&`, `||`, `|`, `&` and newlines outside quotes and keeps
each command's words (quotes removed). ShellCheck-level analysis is out of scope.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "\n", ";;", "|&"})


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    # The separator that follows the command ("|" for the left side of a pipe, "" at the end).
    followed_by: str = ""

    @property
    def name(self) -> str:
        """The program run, skipping env assignments and `sudo`/`command`-like wrappers."""
        for word in self.words:
            if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", word):
                continue
            if word in ("sudo", "command", "exec", "nohup", "time"):
                continue
            return word.rsplit("/", 1)[-1]
        return ""

    @property
    def args(self) -> tuple[str, ...]:
        """The words after the program name."""
        words = list(self.words)
        name = self.name
        for index, word in enumerate(words):
            if word.rsplit("/", 1)[-1] == name:
                return tuple(words[index + 1 :])
        return ()

    def has_any(self, *flags: str) -> bool:
        return any(word in flags for word in self.words)


def join_continuations(script: str) -> str:
    return re.sub(r"\\\r?\n", " ", script)


def commands(script: str) -> list[Command]:
    """The simple commands of `script`, in order. Never raises."""
    text = join_continuations(script)
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    result: list[Command] = []
    words: list[str] = []
    try:
        for token in _tokens(lexer):
            if token in _SEPARATORS or (token and set(token) <= set(";&|")):
                if words:
                    result.append(Command(tuple(words), token))
                words = []
            else:
                words.append(token)
    except ValueError:  # unbalanced quotes: fall back to plain whitespace splitting
        return [Command(tuple(part.split())) for part in re.split(r"&&|\|\||;|\|", text) if part.split()]
    if words:
        result.append(Command(tuple(words)))
    return result


def _tokens(lexer: shlex.shlex) -> list[str]:
    tokens: list[str] = []
    for token in lexer:
        if "\n" in token and token.strip("\n") == "":
            tokens.append("\n")
            continue
        parts = token.split("\n")
        for index, part in enumerate(parts):
            if index:
                tokens.append("\n")
            if part:
                tokens.append(part)
    return tokens
