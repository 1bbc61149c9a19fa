"""Instruction arguments split into words as BuildKit's parser splits them."""

from __future__ import annotations

import pytest

from builder.dockerfile import parse_dockerfile
from builder.lint.buildkitsyntax import (
    NameValue,
    arg_pairs,
    copy_sources,
    json_words,
    list_words,
    mount_values,
    name_values,
    split_words,
)


def test_split_words_keeps_quotes_and_escapes() -> None:
    assert split_words("a=\"x y\" b='$c d' e\\ f") == ['a="x y"', "b='$c d'", "e\\ f"]
    assert split_words('"" x') == ['""', "x"]


@pytest.mark.parametrize(
    ("rest", "pairs"),
    [
        ("A 1 2", [NameValue("A", "1 2", legacy=True)]),
        ('A="x y" B=2', [NameValue("A", '"x y"', legacy=False), NameValue("B", "2", False)]),
        ("A=", [NameValue("A", "", legacy=False)]),
        ("A", None),  # ENV A: BuildKit refuses it
        ("A=1 B", None),
        ("", []),
    ],
)
def test_name_values(rest: str, pairs: list[NameValue] | None) -> None:
    assert name_values(rest) == pairs


def test_arg_pairs() -> None:
    assert arg_pairs('A B=1 C="x y"') == [("A", None), ("B", "1"), ("C", '"x y"')]


def test_json_and_list_words() -> None:
    assert json_words('["a", "b c"]') == ["a", "b c"]
    assert json_words("['a']") is None
    assert json_words('["a", 1]') is None
    assert list_words("a  b\tc") == ["a", "b", "c"]
    assert list_words('["a b", "c"]') == ["a b", "c"]


def test_copy_sources_with_heredocs() -> None:
    text = "FROM a\nCOPY x <<EOF <<'RAW' /dest/\n$A\nEOF\n$B\nRAW\n"
    instruction = parse_dockerfile(text).instructions[1]
    sources = copy_sources(instruction)
    assert sources is not None
    assert (sources.paths, sources.destination) == (("x",), "/dest/")
    assert sources.expanded_contents == ("$A\n",)  # the quoted marker's body is not expanded


def test_mount_values() -> None:
    text = "FROM a\nRUN --mount=type=cache,target=$D,ro --mount=type=secret,id=x make\n"
    assert mount_values(parse_dockerfile(text).instructions[1]) == ["cache", "$D", "secret", "x"]
