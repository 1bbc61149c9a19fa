"""IB022: ARG or ENV names that say they hold a secret (BuildKit's SecretsUsedInArgOrEnv)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

CASES = [
    ("FROM scratch\nARG SECRET_PASSPHRASE\n", [2]),
    ("FROM scratch\nENV SUPER_Secret=foo\n", [2]),
    ("FROM scratch\nENV password=bar secret=baz\n", [2, 2]),
    ("FROM scratch\nENV apikey=bar\n", [2]),
    ("FROM scratch\nENV git_key=\n", [2]),
    ("FROM scratch\nARG NPM_TOKEN\n", [2]),
    ("FROM scratch\nENV NAME=auth\nENV ${NAME}=x\n", [3]),  # the name expanded
    ("FROM scratch\nENV PUBLIC_KEY=\n", []),
    ("FROM scratch\nARG public_token\n", []),
    ("FROM scratch\nENV password_file=bar secret_File=baz\n", []),
    ("FROM scratch\nARG AUTH_MODULE_VERSION\n", []),
    ("FROM scratch\nENV sunflower=foo MONKEY=1 TOKENIZER=x\n", []),  # whole words only
    ("ARG GITHUB_TOKEN\nFROM scratch\n", []),  # BuildKit checks a stage's ARGs only
]


@pytest.mark.parametrize(("dockerfile", "lines"), CASES)
def test_lines(rule_lines: Callable[..., list[int]], dockerfile: str, lines: list[int]) -> None:
    assert rule_lines("IB022", dockerfile) == lines


def test_message_is_buildkit_s(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB022", "FROM a\nenv auth=x\n") == [
        'Do not use ARG or ENV instructions for sensitive data (ENV "auth")'
    ]
