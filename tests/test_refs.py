from __future__ import annotations

import pytest

from builder.refs import ImageRef, names_registry, parse_ref, split_ref, with_default_tag

DIGEST = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("debian", ImageRef("debian")),
        ("debian:12", ImageRef("debian", "12")),
        ("127.0.0.1:5000/a/b:1", ImageRef("127.0.0.1:5000/a/b", "1")),
        ("127.0.0.1:5000/a/b", ImageRef("127.0.0.1:5000/a/b")),
        ("localhost:5000", ImageRef("localhost", "5000")),
        (f"a@{DIGEST}", ImageRef("a", None, DIGEST)),
        (f"127.0.0.1:5000/a:1@{DIGEST}", ImageRef("127.0.0.1:5000/a", "1", DIGEST)),
        ("${BASE}:latest", ImageRef("${BASE}", "latest")),
        ("a@", ImageRef("a")),
    ],
)
def test_split_ref_finds_the_tag_after_the_last_slash(text: str, expected: ImageRef) -> None:
    assert split_ref(text) == expected


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("127.0.0.1:5000/a/b:1", True),
        (f"a@{DIGEST}", True),
        ("a@", False),
        ("a@sha256:short", False),
        ("a:", False),
        ("a:-bad", False),
        ("a/Upper", False),
        ("${BASE}:latest", False),
    ],
)
def test_parse_ref_checks_what_split_ref_found(text: str, valid: bool) -> None:
    parsed = parse_ref(text)
    assert (parsed is not None) == valid
    if parsed is not None:
        assert str(parsed) == text


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("a", "a:latest"),
        ("127.0.0.1:5000/a/b", "127.0.0.1:5000/a/b:latest"),
        ("127.0.0.1:5000/a/b:1", "127.0.0.1:5000/a/b:1"),
        (f"a@{DIGEST}", f"a@{DIGEST}"),
    ],
)
def test_with_default_tag_adds_latest_only_without_tag_or_digest(ref: str, expected: str) -> None:
    assert with_default_tag(ref) == expected


@pytest.mark.parametrize(
    ("repository", "expected"),
    [
        ("127.0.0.1:5000/a", True),
        ("ghcr.io/o/a", True),
        ("localhost/a", True),
        ("library/debian", False),
        ("debian", False),
        ("localhost", False),
    ],
)
def test_names_registry_reads_the_first_component_as_docker_does(
    repository: str, expected: bool
) -> None:
    assert names_registry(repository) is expected
