"""Platform specifiers read as containerd reads them."""

from __future__ import annotations

import pytest

from builder.lint.platforms import Platform, parse_platform


@pytest.mark.parametrize(
    ("specifier", "platform"),
    [
        ("linux/amd64", Platform("linux", "amd64")),
        ("linux/x86_64", Platform("linux", "amd64")),
        ("linux/arm64/v8", Platform("linux", "arm64", "v8")),
        ("linux/arm64", Platform("linux", "arm64")),
        ("linux/arm/v7", Platform("linux", "arm", "v7")),
        ("linux/arm", Platform("linux", "arm")),
        ("linux/armhf", Platform("linux", "arm")),
        ("arm64", Platform("linux", "arm64")),
        ("windows", Platform("windows", "amd64")),
        ("macos/arm64", Platform("darwin", "arm64")),
        ("windows(10.0.17763)/amd64", Platform("windows", "amd64")),
    ],
)
def test_parse(specifier: str, platform: Platform) -> None:
    assert parse_platform(specifier) == platform


@pytest.mark.parametrize("specifier", ["", "nonsense", "linux/*", "linux//amd64", "a/b/c/d"])
def test_refused(specifier: str) -> None:
    assert parse_platform(specifier) is None
