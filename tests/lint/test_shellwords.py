"""BuildKit's word expansion: results, matched and unmatched names, errors."""

from __future__ import annotations

import pytest

from builder.lint.shellwords import ExpansionError, expand

ENV = {"A": "1", "EMPTY": "", "P": "/usr/bin:/bin", "F": "file.tar.gz"}


@pytest.mark.parametrize(
    ("word", "result", "unmatched"),
    [
        ("$A-${A}", "1-1", ()),
        ("$B", "", ("B",)),
        ("${B:-x}", "x", ("B",)),  # unset, default used, still unmatched
        ("${EMPTY:-x}${EMPTY-y}", "x", ()),
        ("${A:+set}${B:+set}", "set", ("B",)),
        ("'$A'\"$A\"", "$A1", ()),
        ("\\$A", "$A", ()),
        ("a\\ b", "a b", ()),
        ("${F%.*}|${F%%.*}|${F#*.}|${F##*.}", "file.tar|file|tar.gz|gz", ()),
        ("${P/bin/sbin}|${P//bin/sbin}", "/usr/sbin:/bin|/usr/sbin:/sbin", ()),
        ("$1$@", "", ("1", "@")),
        ("$ x", "$ x", ()),
        ("$B$B$C", "", ("B", "C")),
    ],
)
def test_expand(word: str, result: str, unmatched: tuple[str, ...]) -> None:
    expanded = expand(word, ENV)
    assert (expanded.result, expanded.unmatched) == (result, unmatched)


def test_matched_names() -> None:
    assert expand("$A${B:-$EMPTY}", ENV).matched == {"A", "EMPTY"}


def test_words_split_on_blanks_outside_quotes() -> None:
    assert expand("80 '443 x' $A", ENV).words == ("80", "443 x", "1")


def test_raw_text_keeps_quotes_and_expands_inside_them() -> None:
    assert expand("'$A' \"$B\"", ENV, process_quotes=False).result == "'1' \"\""


def test_another_escape_character() -> None:
    assert expand("C:\\dir`$A", ENV, "`").result == "C:\\dir$A"


@pytest.mark.parametrize(
    "word", ["${", "${:x}", "${A", "'open", '"open', "${EMPTY:?}", "${B?gone}"]
)
def test_malformed_words_fail_as_in_buildkit(word: str) -> None:
    with pytest.raises(ExpansionError):
        expand(word, ENV)
