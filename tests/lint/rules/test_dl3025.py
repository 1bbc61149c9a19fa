"""DL3025: use JSON notation for CMD and ENTRYPOINT."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CATCHES = [
    "FROM node as foo\nENTRYPOINT something\n",
    "FROM node as foo\nCMD something\n",
    "HEALTHCHECK CMD foobar\n",
    "CMD ['single', 'quotes']\n",
]

DOES_NOT_CATCH = [
    'FROM scratch as build\nENTRYPOINT ["foo", "bar"]\n',
    'CMD ["foo", "bar"]\nCMD [ "foo", "bar" ]\n',
    'HEALTHCHECK CMD [ "foobar" ]\n',
    "HEALTHCHECK NONE\n",
    'CMD [ "/bin/sh", "-c", \\\n      "echo foo && \\\n       echo bar" \\\n    ]\n',
]


@pytest.mark.parametrize("dockerfile", CATCHES)
def test_catches(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3025", dockerfile) != []


@pytest.mark.parametrize("dockerfile", DOES_NOT_CATCH)
def test_does_not_catch(rule_lines: Callable[..., list[int]], dockerfile: str) -> None:
    assert rule_lines("DL3025", dockerfile) == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "CMD gunicorn --bind 0.0.0.0:8000 app:app\n",
            'CMD ["gunicorn", "--bind", "0.0.0.0:8000", "app:app"]\n',
        ),
        (
            "FROM python:3.12\n# start\nentrypoint /usr/local/bin/run.sh\n",
            'FROM python:3.12\n# start\nentrypoint ["/usr/local/bin/run.sh"]\n',
        ),
    ],
)
def test_fix(
    rule_fix: Callable[..., str], rule_lines: Callable[..., list[int]], before: str, after: str
) -> None:
    fixed = rule_fix("DL3025", before)
    assert fixed == after
    assert rule_lines("DL3025", fixed) == []


@pytest.mark.parametrize(
    "dockerfile",
    [
        "CMD echo $HOME\n",
        "CMD nginx -g 'daemon off;'\n",
        "CMD ./a && ./b\n",
        "CMD ls *.txt\n",
        "ENTRYPOINT FOO=1 ./run\n",
        "CMD ./run > /var/log/run.log\n",
    ],
)
def test_no_fix_where_unsafe(rule_fix: Callable[..., str], dockerfile: str) -> None:
    assert rule_fix("DL3025", dockerfile) == dockerfile
