from __future__ import annotations

import pytest

from builder.dockerignore import DockerIgnore

CASES = [
    ("node_modules", "node_modules/a/b.js", True),
    ("node_modules", "src/node_modules/a.js", False),  # anchored at the root, unlike .gitignore
    ("**/node_modules", "src/node_modules/a.js", True),
    ("*.md", "README.md", True),
    ("*.md", "docs/a.md", False),
    ("**/*.md", "docs/a.md", True),
    ("*.md\n!README.md", "README.md", False),
    ("*.md\n!README.md", "CHANGES.md", True),
    ("/build", "build/x", True),
    ("./build", "build/x", True),
    ("# comment\n\ntmp?", "tmp1", True),
    ("tmp?", "tmp12", False),
    ("[ab].txt", "a.txt", True),
    ("[!ab].txt", "c.txt", True),
    ("docs\n!docs/keep.md", "docs/keep.md", False),
]


@pytest.mark.parametrize(("patterns", "path", "ignored"), CASES)
def test_dockerignore_matches_like_docker(patterns: str, path: str, ignored: bool) -> None:
    assert DockerIgnore.from_text(patterns).is_ignored(path) is ignored


@pytest.mark.parametrize(("patterns", "path", "ignored"), CASES)
def test_the_walk_s_fast_path_agrees_where_no_parent_is_ignored(
    patterns: str, path: str, ignored: bool
) -> None:
    ignore = DockerIgnore.from_text(patterns)
    parents = path.split("/")[:-1]
    if not any(ignore.is_ignored("/".join(parents[: i + 1])) for i in range(len(parents))):
        assert ignore.is_ignored(path, parents_included=True) is ignored


def test_ignored_directory_is_walked_only_when_an_exception_may_reinclude() -> None:
    assert not DockerIgnore.from_text("docs").may_contain_included("docs")
    assert DockerIgnore.from_text("docs\n!docs/keep.md").may_contain_included("docs")
