"""The repository's own .pre-commit-config.yaml: pre-commit accepts it, its hooks are local
(offline) and run `make check`'s tools, and its imgbuild lint hooks pass over the repo."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from realparts import REPO_ROOT, dev_module

CONFIG = REPO_ROOT / ".pre-commit-config.yaml"
VENV_BIN = ".venv/bin/"


def _config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text())
    return config


def _hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for repo in _config()["repos"] for hook in repo["hooks"]}


def _pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    dev_module("pre_commit")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},  # not the user's cache
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_pre_commit_accepts_the_config(tmp_path: Path) -> None:
    result = _pre_commit("validate-config", str(CONFIG), cwd=REPO_ROOT, home=tmp_path)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_every_hook_is_local_and_runs_a_tool_of_the_virtual_environment() -> None:
    hooks = _hooks()

    assert [repo["repo"] for repo in _config()["repos"]] == ["local"]
    assert set(hooks) == {
        "ruff",
        "ruff-format",
        "mypy",
        "shellcheck",
        "imgbuild-lint",
        "imgbuild-lint-templates",
    }
    bin_dir = Path(sys.executable).parent
    for hook in hooks.values():
        assert hook["language"] == "unsupported", hook  # runs the entry as it is
        tool = hook["entry"].split()[0]
        assert tool.startswith(VENV_BIN), hook
        # Each tool is a dev dependency, so the environment running the tests has it too.
        assert (bin_dir / tool.removeprefix(VENV_BIN)).is_file(), hook


def test_hooks_select_the_files_make_check_and_the_linter_cover() -> None:
    hooks = _hooks()
    files = {hook_id: re.compile(hook["files"]) for hook_id, hook in hooks.items()}

    scripts = [str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "scripts").glob("*.sh")]
    assert scripts
    assert all(files["shellcheck"].search(path) for path in [*scripts, ".ci/run"])
    dockerfiles = [
        str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "sample_projects").rglob("Dockerfile")
    ]
    assert len(dockerfiles) >= 6
    assert all(files["imgbuild-lint"].search(path) for path in dockerfiles)
    assert not files["imgbuild-lint"].search("sample_projects/shop/services/api/app.py")
    assert files["imgbuild-lint-templates"].search("templates/python/Dockerfile.j2")
    assert files["mypy"].search("builder/cli/__init__.py")


@pytest.mark.parametrize("hook_id", ["imgbuild-lint", "imgbuild-lint-templates"])
def test_imgbuild_lint_hook_passes_over_the_repo(hook_id: str, tmp_path: Path) -> None:
    # The hook as written, run by pre-commit over every tracked file, with imgbuild taken from
    # this checkout (python -m builder in the repo root) instead of .venv, which need not exist.
    config = _config()
    for hook in config["repos"][0]["hooks"]:
        hook["entry"] = hook["entry"].replace(f"{VENV_BIN}imgbuild", f"{sys.executable} -m builder")
    copy = tmp_path / "pre-commit-config.yaml"
    copy.write_text(yaml.safe_dump(config))

    result = _pre_commit(
        "run",
        "--config",
        str(copy),
        "--all-files",
        "--color",
        "never",
        hook_id,
        cwd=REPO_ROOT,
        home=tmp_path / "home",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"imgbuild lint .*Passed$", result.stdout, re.MULTILINE), result.stdout
