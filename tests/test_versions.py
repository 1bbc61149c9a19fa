"""The one version parser: engine, API and client versions as comparable tuples."""

from __future__ import annotations

import pytest

from builder.versions import version_tuple


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20.10.24+dfsg1", (20, 10, 24)),
        ("27.3.1", (27, 3, 1)),
        ("1.41", (1, 41)),
        ("v23.0.0-rc.1", (23, 0, 0)),
        (" 24.0 ", (24, 0)),
        ("19.03.15-ce", (19, 3, 15)),
        ("?", ()),
        ("dev", ()),
        ("", ()),
        ("1.4a", (1, 4)),
        ("²", ()),
    ],
)
def test_versions_parse_to_their_leading_dotted_numbers(
    text: str, expected: tuple[int, ...]
) -> None:
    assert version_tuple(text) == expected


def test_versions_order_numerically_not_as_text() -> None:
    assert version_tuple("1.9") < version_tuple("1.41") < version_tuple("1.41.1")
    assert version_tuple("9.0") < version_tuple("20.10.24+dfsg1") < version_tuple("23.0")


def test_an_unknown_version_sorts_before_every_version() -> None:
    assert min(["1.41", "?", "1.43"], key=version_tuple) == "?"
