"""DL3020: use COPY instead of ADD for files and folders."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "ADD file /usr/src/app/\n",
    "ADD file.zip /usr/src/app/\n",
    'ADD "file.zip" /usr/src/app/\n',
    "ADD --chown=app:app src/ /app/\n",
    'ADD ["a.txt", "/app/"]\n',
]

DOES_NOT_CATCH = [
    "ADD file.tar /usr/src/app/\n",
    "ADD file.tgz /usr/src/app/\n",
    "ADD file.xz /usr/src/app/\n",
    "ADD http://file.com /usr/src/app/\n",
    'ADD "http://file.com" /usr/src/app/\n',
    "ADD --checksum=sha256:abc https://example.com/a.tgz /a.tgz\n",
    "COPY file /usr/src/app/\n",
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3020", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3020", dockerfile) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("ADD file /usr/src/app/\n", "COPY file /usr/src/app/\n"),
        (
            "FROM debian:12\n# the app\nadd --chown=app:app src/ /app/  # trailing\n",
            "FROM debian:12\n# the app\ncopy --chown=app:app src/ /app/  # trailing\n",
        ),
        ("ADD a.txt \\\n    b.txt /app/\n", "COPY a.txt \\\n    b.txt /app/\n"),
    ],
)
def test_fix(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]], before: str, after: str
) -> None:
    fixed = rule_fix("DL3020", before)
    assert fixed == after
    assert rule_lines("DL3020", fixed) == []


@pytest.mark.parametrize(
    "dockerfile",
    [
        "ADD ${SRC} /app/\n",
        "ADD --keep-git-dir=true repo/ /src/\n",
        "ADD a.txt b.tar.gz /app/\n",
    ],
)
def test_no_fix_where_unsafe(rule_fix: Callable[..., str], dockerfile: str) -> None:
    assert rule_fix("DL3020", dockerfile) == dockerfile
