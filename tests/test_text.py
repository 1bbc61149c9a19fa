from __future__ import annotations

from builder.text import align


def test_columns_are_padded_to_their_widest_cell_two_spaces_apart() -> None:
    assert align([("NAME", "URL", "STATUS"), ("e1", "unix:///run/docker.sock", "up")]) == [
        "NAME  URL                      STATUS",
        "e1    unix:///run/docker.sock  up",
    ]


def test_the_last_column_is_not_padded() -> None:
    assert align([("a", "long last cell"), ("bbb", "x")]) == ["a    long last cell", "bbb  x"]


def test_trailing_spaces_are_dropped_when_the_last_cells_are_empty() -> None:
    assert align([("IMAGE", "TAGS"), ("web", ""), ("a", "")]) == ["IMAGE  TAGS", "web", "a"]


def test_one_column_and_no_rows() -> None:
    assert align([("only",), ("x",)]) == ["only", "x"]
    assert align([]) == []
