""".dockerignore matching with Docker's semantics.

Docker's rules differ from .gitignore's: patterns are anchored at the context root (no implicit
"anywhere" match), `**` matches any number of directories, a pattern that matches a directory
excludes everything below it, and a later `!pattern` re-includes. The digest and the linter must
agree with the engine on what is sent, so both use this one matcher.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class _Pattern:
    text: str
    exclusion: bool  # a `!pattern`: re-includes what earlier patterns excluded
    regex: re.Pattern[str]


@dataclass(frozen=True)
class DockerIgnore:
    patterns: tuple[_Pattern, ...] = ()

    @classmethod
    def from_text(cls, text: str) -> DockerIgnore:
        patterns = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            exclusion = line.startswith("!")
            if exclusion:
                line = line[1:].strip()
            cleaned = _clean(line)
            if not cleaned:
                continue
            patterns.append(_Pattern(cleaned, exclusion, _compile(cleaned)))
        return cls(tuple(patterns))

    @classmethod
    def for_context(cls, context: Path) -> DockerIgnore:
        """The context's .dockerignore.

        BuildKit's `<Dockerfile>.dockerignore` is deliberately not honoured: the BuildKit
        builder sends the Dockerfile on stdin, where the client applies only the context's
        file, and the digest must cover exactly what every builder sends.
        """
        try:
            text = (context / ".dockerignore").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return cls()
        return cls.from_text(text)

    @cached_property
    def has_exclusions(self) -> bool:
        return any(pattern.exclusion for pattern in self.patterns)

    def is_ignored(self, relative_path: str, *, parents_included: bool = False) -> bool:
        """Whether a context-relative path (posix separators) is left out of the context.

        `parents_included`: the caller (a walk that never enters ignored directories) knows no
        parent directory is ignored; without exclusion patterns only the path itself can then
        match, which saves matching every parent of every file.
        """
        path = _clean(relative_path)
        if parents_included and not self.has_exclusions:
            return any(pattern.regex.fullmatch(path) for pattern in self.patterns)
        ignored = False
        for pattern in self.patterns:
            if pattern.exclusion != ignored:
                continue  # this pattern cannot change the outcome
            if _matches(pattern, path):
                ignored = not pattern.exclusion
        return ignored

    def may_contain_included(self, relative_dir: str) -> bool:
        """Whether an ignored directory might still hold re-included files (so walk into it)."""
        if not self.has_exclusions:
            return False
        prefix = _clean(relative_dir) + "/"
        return any(
            pattern.exclusion
            and (pattern.text.startswith(prefix) or "*" in pattern.text or "?" in pattern.text)
            for pattern in self.patterns
        )


def _clean(path: str) -> str:
    cleaned = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    return "" if cleaned == "." else cleaned


def _matches(pattern: _Pattern, path: str) -> bool:
    # A pattern that matches a parent directory excludes everything below it.
    candidate = path
    while candidate:
        if pattern.regex.fullmatch(candidate):
            return True
        candidate = posixpath.dirname(candidate)
    return False


def _compile(pattern: str) -> re.Pattern[str]:
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**", index):
            index += 2
            if pattern.startswith("/", index):
                index += 1
                out.append("(?:.*/)?")
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : end]
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                index = end
        elif char == "\\" and index + 1 < len(pattern):
            index += 1
            out.append(re.escape(pattern[index]))
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out))
