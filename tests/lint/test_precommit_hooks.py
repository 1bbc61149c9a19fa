"""The pre-commit hooks run `imgbuild lint` on exactly the files discovery would find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from builder.lint.discovery import is_dockerfile_name

HOOKS = Path(__file__).parents[2] / ".pre-commit-hooks.yaml"
NAMES = [
    "Dockerfile",
    "svc/Dockerfile",
    "svc/Dockerfile.dev",
    "api.Dockerfile",
    "deploy/api.dockerfile",
    "Containerfile",
    "README.md",
    "Dockerfile-old",
    "Dockerfiles/notes.txt",
    "docs/dockerfile",
]


def hooks() -> dict[str, dict[str, object]]:
    return {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text())}


def test_hooks_run_imgbuild_lint_with_python() -> None:
    found = hooks()
    assert found["imgbuild-lint"]["entry"] == "imgbuild lint"
    assert found["imgbuild-lint-fix"]["entry"] == "imgbuild lint --fix"
    assert {hook["language"] for hook in found.values()} == {"python"}


@pytest.mark.parametrize("name", NAMES)
def test_hook_files_match_discovery(name: str) -> None:
    for hook in hooks().values():
        matched = re.search(str(hook["files"]), name) is not None
        assert matched == is_dockerfile_name(name.rsplit("/", 1)[-1]), (hook["id"], name)
