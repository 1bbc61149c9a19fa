"""BuildKit's expansion of build-time variables in one Dockerfile word, as `shell.Lex` does it.

The BuildKit checks depend on it: a variable is "unmatched" (UndefinedVar, UndefinedArgInFrom)
when the word names it and the environment lacks it, even inside `${NAME:-default}`; quotes
are removed and escapes applied as Docker does before a word reaches the instruction
(`WORKDIR "$HOME"/app`). `expand` raises `ExpansionError` where BuildKit fails the build.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

_SPECIAL_PARAMETERS = frozenset("@*#?-$!0")
# What the lexer reads as itself, one character at a time, to no other effect: runs of it are
# taken at once (a stop character, here "}" or "/", is never in one).
_PLAIN_RE = re.compile(r"[^$'\"\\`}\s]+")
_PLAIN_BEFORE_SLASH_RE = re.compile(r"[^$'\"\\`}/\s]+")


class ExpansionError(ValueError):
    """The word is malformed (`${`, `${:x}`, an unclosed quote): BuildKit stops there."""


class Expansion(NamedTuple):  # a NamedTuple: cheaper to define, at every lint's start
    result: str
    words: tuple[str, ...]  # the result split on blanks outside quotes (EXPOSE, FROM)
    matched: frozenset[str]  # variables the environment had
    unmatched: tuple[str, ...]  # variables it lacked, in the order the word names them


def expand(
    word: str, env: Mapping[str, str], escape: str = "\\", *, process_quotes: bool = True
) -> Expansion:
    """`word` with its variables replaced from `env`, as BuildKit's `ProcessWordWithMatches`."""
    if _PLAIN_RE.fullmatch(word.replace(" ", "")):  # most words: nothing to expand or remove
        return Expansion(word, tuple(word.split()), frozenset(), ())
    lexer = _Lexer(word, env, escape, process_quotes)
    result, words = lexer.process_until(None)
    unmatched = tuple(dict.fromkeys(lexer.unmatched))
    return Expansion(result, tuple(words), frozenset(lexer.matched), unmatched)


class _Words:
    """BuildKit's word splitting: blanks split words, except from quotes and escapes."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.buffer: list[str] = []
        self.in_word = False

    def add_char(self, char: str) -> None:
        if char.isspace():
            if self.in_word and self.buffer:
                self.words.append("".join(self.buffer))
                self.buffer, self.in_word = [], False
        else:
            self.add_raw(char)

    def add_text(self, text: str) -> None:
        for char in text:
            self.add_char(char)

    def add_raw(self, text: str) -> None:
        self.buffer.append(text)
        self.in_word = True

    def done(self) -> list[str]:
        if self.buffer:
            self.words.append("".join(self.buffer))
        return self.words


class _Lexer:
    def __init__(self, text: str, env: Mapping[str, str], escape: str, quotes: bool) -> None:
        self.text, self.position = text, 0
        self.env, self.escape, self.quotes = env, escape, quotes
        self.matched: set[str] = set()
        self.unmatched: list[str] = []

    def peek(self) -> str:
        return self.text[self.position] if self.position < len(self.text) else ""

    def next(self) -> str:
        char = self.peek()
        self.position += 1 if char else 0
        return char

    def lookup(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is None:
            self.unmatched.append(name)
        else:
            self.matched.add(name)
        return value

    def process_until(self, stop: str | None) -> tuple[str, list[str]]:
        result: list[str] = []
        words = _Words()
        plain = _PLAIN_BEFORE_SLASH_RE if stop == "/" else _PLAIN_RE
        while (char := self.peek()) != "":
            if char == stop:
                self.next()
                return "".join(result), words.done()
            if char == "$":
                text = self.dollar()
                result.append(text)
                words.add_text(text)
            elif self.quotes and char in "'\"":
                text = self.single_quoted() if char == "'" else self.double_quoted()
                result.append(text)
                words.add_raw(text)
            elif match := plain.match(self.text, self.position):
                run = match.group()
                self.position += len(run)
                words.add_raw(run)
                result.append(run)
            else:
                self.next()
                if char == self.escape:
                    char = self.next()
                    if not char:
                        break
                    words.add_raw(char)
                else:
                    words.add_char(char)
                result.append(char)
        if stop is not None:
            raise ExpansionError(f"unexpected end of statement while looking for matching {stop}")
        return "".join(result), words.done()

    def single_quoted(self) -> str:
        self.next()
        end = self.text.find("'", self.position)
        if end < 0:
            raise ExpansionError("unexpected end of statement while looking for matching '")
        text = self.text[self.position : end]
        self.position = end + 1
        return text

    def double_quoted(self) -> str:
        self.next()
        result: list[str] = []
        while True:
            char = self.peek()
            if char == "":
                raise ExpansionError('unexpected end of statement while looking for matching "')
            if char == '"':
                self.next()
                return "".join(result)
            if char == "$":
                result.append(self.dollar())
                continue
            self.next()
            if char == self.escape:
                following = self.peek()
                if following == "":
                    continue
                if following in ('"', "$", self.escape):
                    char = self.next()
            result.append(char)

    def name(self) -> str:
        start = self.position
        char = self.peek()
        if char.isdigit():
            while self.peek().isdigit():
                self.next()
            return self.text[start : self.position]
        if char and char in _SPECIAL_PARAMETERS:
            return self.next()
        while (char := self.peek()) and (char.isalnum() or char == "_"):
            self.next()
        return self.text[start : self.position]

    def dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.name()
            return (self.lookup(name) or "") if name else "$"
        self.next()
        if self.peek() in ("", "{", "}", ":"):
            raise ExpansionError("syntax error: bad substitution")
        name = self.name()
        operator = self.next()
        if operator == "}":
            return self.lookup(name) or ""
        if operator == "/":
            return self.replaced(name)
        null_is_unset = operator == ":"
        if null_is_unset:
            operator = self.next()
        if operator not in ("+", "-", "?", "#", "%") or (null_is_unset and operator in "#%"):
            raise ExpansionError(f"unsupported modifier ({operator}) in substitution")
        word, _ = self.process_until("}")
        value = self.lookup(name)
        unset = value is None or (null_is_unset and value == "")
        if operator == "-":
            return word if unset else value or ""
        if operator == "+":
            return "" if unset else word
        if operator == "?":
            if unset:
                raise ExpansionError(f"{name}: {word or 'is not allowed to be unset'}")
            return value or ""
        greedy = word.startswith(operator)
        pattern = word[1:] if greedy else word
        return _trimmed(value or "", pattern, greedy, suffix=operator == "%")

    def replaced(self, name: str) -> str:
        replace_all = self.peek() == "/"
        if replace_all:
            self.next()
        pattern, _ = self.process_until("/")
        replacement, _ = self.process_until("}")
        value = self.lookup(name) or ""
        regex = _pattern_regex(pattern, greedy=True)
        return regex.sub(lambda _: replacement, value, count=0 if replace_all else 1)


def _pattern_regex(pattern: str, *, greedy: bool) -> re.Pattern[str]:
    """A shell pattern (`*`, `?`, `\\x`) as a regular expression."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            out.append(".*" if greedy else ".*?")
        elif char == "?":
            out.append(".")
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out), re.DOTALL)


def _trimmed(value: str, pattern: str, greedy: bool, *, suffix: bool) -> str:
    """`${v#p}` / `${v##p}` (prefix) and `${v%p}` / `${v%%p}` (suffix) of BuildKit."""
    regex = _pattern_regex(pattern, greedy=greedy)
    if suffix:
        candidates = range(len(value) + 1) if greedy else range(len(value), -1, -1)
        for start in candidates:
            if regex.fullmatch(value, start):
                return value[:start]
        return value
    match = regex.match(value)
    return value[match.end() :] if match else value
