from __future__ import annotations

from builder.text import align, byte_size


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


def test_sizes_are_in_decimal_units_with_one_decimal() -> None:
    assert [byte_size(n) for n in (0, 999, 33_283, 3_700_003, 2_500_000_000)] == [
        "0 B",
        "999 B",
        "33.3 KB",
        "3.7 MB",
        "2.5 GB",
    ]
