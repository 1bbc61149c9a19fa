"""`imgbuild lint FILE` starts fast: what one file does not need is never imported.

Editors and pre-commit lint one changed file at a time and pay the start-up every time, so an
import added at the top of a module on the lint path would cost every run without failing any
other test. Each run is a fresh `python -m builder` (the real entry point), in a folder with no
imgbuild.toml above it, printing the modules it ended with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Never needed by `imgbuild lint` of a Dockerfile.
HEAVY = ("docker", "requests", "urllib3", "jinja2", "rich", "yaml")
# Needed only when there is an imgbuild.toml to load.
CONFIG_LOADER = ("tomllib", "builder.config.load", "builder.config.model", "builder.adopt")
# Needed only when ShellCheck has a script to check.
SHELLCHECK_RUN = ("subprocess", "concurrent.futures", "tempfile", "builder.lint.shellscripts")

_PRINT_MODULES = (
    "import atexit, json, sys\n"
    "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
    "sys.argv[0] = 'imgbuild'\n"
    "from builder.cli import main\n"
    "main(sys.argv[1:])\n"
)


def _modules_after(folder: Path, *args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PRINT_MODULES, "lint", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text('FROM debian:12.5\nRUN echo hello\nCMD ["true"]\n')
    (tmp_path / "Plain.Dockerfile").write_text('FROM debian:12.5\nCMD ["true"]\n')
    return tmp_path


def test_one_file_imports_nothing_heavy(project: Path) -> None:
    for args in (("Dockerfile",), ("--no-shellcheck", "Dockerfile")):
        modules = _modules_after(project, *args)
        assert "builder.lint.session" in modules  # the lint really ran
        assert _loaded(modules, HEAVY) == []
        assert _loaded(modules, CONFIG_LOADER) == []


def test_shellcheck_machinery_only_for_scripts(project: Path) -> None:
    assert _loaded(_modules_after(project, "--no-shellcheck", "Dockerfile"), SHELLCHECK_RUN) == []
    assert _loaded(_modules_after(project, "Plain.Dockerfile"), SHELLCHECK_RUN) == []


def test_config_loader_only_with_a_config(project: Path) -> None:
    (project / "imgbuild.toml").write_text('[images.app]\ncontext = "."\n')
    modules = _modules_after(project, "--no-shellcheck", "Dockerfile")
    assert "builder.config.load" in modules
    assert _loaded(modules, HEAVY) == []


def test_rules_for_absent_instructions_are_not_imported(project: Path) -> None:
    modules = _modules_after(project, "Plain.Dockerfile")
    assert "builder.lint.rules.dl3057" in modules  # a rule on every file: missing HEALTHCHECK
    assert _loaded(modules, ("builder.lint.rules.dl3008", "builder.lint.runs")) == []
    assert _loaded(modules, ("builder.lint.rules.dl3020", "builder.lint.rules.dl3048")) == []
