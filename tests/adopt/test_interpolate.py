from __future__ import annotations

from pathlib import Path

import pytest

from builder.adopt.interpolate import InterpolationError, interpolate, read_env_file

ENV = {"SET": "value", "EMPTY": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$SET and ${SET}", "value and value"),
        ("${UNSET}", ""),
        ("${UNSET:-default}", "default"),
        ("${EMPTY:-default}", "default"),
        ("${EMPTY-default}", ""),
        ("${UNSET-${SET}}", "value"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("$$SET costs $$5", "$SET costs $5"),
        ("${SET:?needed}", "value"),
    ],
)
def test_interpolation_follows_compose(text: str, expected: str) -> None:
    assert interpolate(text, ENV) == expected


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("${UNSET:?set it}", "required variable UNSET: set it"),
        ("${EMPTY:?}", "required variable EMPTY: is missing a value"),
        ("${SET", "unclosed"),
        ("${-x}", "invalid interpolation"),
    ],
)
def test_interpolation_errors(text: str, error: str) -> None:
    with pytest.raises(InterpolationError, match=error):
        interpolate(text, ENV)


def test_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "# comment\nA=1\nexport B='two $X'\nC=\"line\\nnext\"\nD=plain # trailing\nnot a line\n"
    )
    assert read_env_file(tmp_path / ".env") == {
        "A": "1",
        "B": "two $X",
        "C": "line\nnext",
        "D": "plain",
    }
    assert read_env_file(tmp_path / "missing") == {}
