"""Which FROM images Docker's reference grammar accepts."""

from __future__ import annotations

import pytest

from builder.lint.imagename import is_pullable

DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    "name",
    [
        "scratch",
        "alpine:3.20",
        "library/alpine",
        "ghcr.io/owner/app:v1.2",
        "localhost:5000/a/b",
        f"alpine@{DIGEST}",
        f"alpine:3@{DIGEST}",
        "[::1]:5000/app",
        "base-linux/amd64",
        "a__b.c-d",
    ],
)
def test_pullable(name: str) -> None:
    assert is_pullable(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "alpine:",
        "Alpine",
        "ghcr.io/Owner/app",
        "busybox:",
        "alpine@sha256:abc",
        "alpine@md5:" + "a" * 64,
        "a" * 64,
        "-alpine",
        "alpine:-1",
        "a b",
    ],
)
def test_not_pullable(name: str) -> None:
    assert not is_pullable(name)


def test_an_upper_case_registry_is_fine() -> None:
    assert is_pullable("Registry.Example.com/app")
