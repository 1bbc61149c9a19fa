"""IB008: COPY or ADD of a file that .dockerignore excludes (BuildKit's CopyIgnoredFile)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from builder.dockerignore import DockerIgnore

CASES = [
    ("*.md\n", "FROM a:1\nCOPY README.md /doc/\n", [2]),
    ("secrets\n", "FROM a:1\nADD ./secrets/../secrets/k /k\n", [2]),  # through its parent
    ("Dockerfile\n", "FROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n", [2, 3]),
    ("*\n", "FROM scratch\nCOPY . .\n", [2]),  # everything, the root included
    ("*.md\n", "FROM a:1\nCOPY *.md /doc/\n", [2]),  # wildcards taken literally
    ("*.md\n", "FROM a:1\nARG DOC=README\nCOPY ${DOC}.md /doc/\n", [3]),
    (".*\n", "FROM scratch\nCOPY . .\n", []),
    ("*.md\n", "FROM a:1\nCOPY app.py /app/\n", []),
    ("*.md\n", "FROM a:1\nCOPY --from=build /README.md /doc/\n", []),
    ("*.md\n!README.md\n", "FROM a:1\nCOPY NOTES.md /doc/\n", []),  # exceptions: no check
    ("foobar\n", "FROM scratch AS base\nCOPY Dockerfile /foobar\n", []),
    ("", "FROM a:1\nCOPY README.md /doc/\n", []),
]


@pytest.mark.parametrize(("ignore", "dockerfile", "lines"), CASES)
def test_lines(
    rule_lines: Callable[..., list[int]], ignore: str, dockerfile: str, lines: list[int]
) -> None:
    patterns = DockerIgnore.from_text(ignore)
    assert rule_lines("IB008", dockerfile, dockerignore=lambda: patterns) == lines


def test_is_quiet_without_a_context(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB008", "FROM a:1\nCOPY README.md /doc/\n") == []


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    patterns = DockerIgnore.from_text("Dockerfile\n")
    messages = rule_messages(
        "IB008", "FROM a\nADD ./Dockerfile /d\n", dockerignore=lambda: patterns
    )
    assert messages == ['Attempting to Add file "Dockerfile" that is excluded by .dockerignore']
