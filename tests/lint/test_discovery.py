"""Which files `imgbuild lint DIR` finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.errors import UsageError
from builder.lint.discovery import discover, is_dockerfile_name


@pytest.mark.parametrize(
    "name",
    ["Dockerfile", "Dockerfile.dev", "api.Dockerfile", "api.dockerfile", "Containerfile"],
)
def test_dockerfile_names(name: str) -> None:
    assert is_dockerfile_name(name)


@pytest.mark.parametrize("name", ["dockerfile", "Dockerfile-dev", "README.md", "Dockerfiles"])
def test_other_names(name: str) -> None:
    assert not is_dockerfile_name(name)


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("FROM scratch\n")


def test_directories_are_searched_and_gitignore_respected(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("vendor/\n*.tmp.Dockerfile\n")
    (tmp_path / "svc" / ".gitignore").parent.mkdir()
    (tmp_path / "svc" / ".gitignore").write_text("old/\n!keep.tmp.Dockerfile\n")
    _touch(
        tmp_path,
        "Dockerfile",
        "svc/api.Dockerfile",
        "svc/old/Dockerfile",
        "svc/keep.tmp.Dockerfile",
        "svc/x.tmp.Dockerfile",
        "vendor/Dockerfile",
        ".git/Dockerfile",
        "docs/notes.txt",
    )
    found = [path.relative_to(tmp_path).as_posix() for path in discover([tmp_path / "svc"])]
    assert found == ["svc/api.Dockerfile", "svc/keep.tmp.Dockerfile"]
    everything = [path.relative_to(tmp_path).as_posix() for path in discover([tmp_path])]
    assert everything == ["Dockerfile", "svc/api.Dockerfile", "svc/keep.tmp.Dockerfile"]


def test_a_named_file_is_linted_whatever_its_name(tmp_path: Path) -> None:
    _touch(tmp_path, "build.docker")
    assert discover([tmp_path / "build.docker"]) == [tmp_path / "build.docker"]


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file or directory"):
        discover([tmp_path / "nope"])
