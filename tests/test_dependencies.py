"""pyproject.toml tells the truth: every package imported is declared, the version is written
once (builder/__init__.py) and is what `imgbuild --version` and the installed metadata say."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from realparts import REPO_ROOT, dev_module

import builder

PROJECT: dict[str, Any] = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
# Top-level modules of this repository, imported by name from the folders on sys.path.
# pytest puts each test folder without an __init__.py on sys.path too (tokenauth, helpers).
LOCAL = (
    {"builder", "tests"}
    | {path.stem for path in (REPO_ROOT / "tests").rglob("*.py")}
    | {path.stem for path in (REPO_ROOT / "benchmarks").glob("*.py")}
)


def _declared(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(line).name) for line in requirements}


def _imported(folder: Path) -> dict[str, Path]:
    """Each top-level third-party module imported anywhere under `folder` (also inside functions),
    with one file that imports it."""
    found: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.py")):
        if "golden" in path.parts:  # rendered templates: the scaffolded services' code
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in LOCAL:
                    found.setdefault(top, path)
    return found


def _undeclared(folder: str, declared: set[str]) -> list[str]:
    providers = importlib.metadata.packages_distributions()
    problems = []
    for module, path in sorted(_imported(REPO_ROOT / folder).items()):
        distributions = {canonicalize_name(name) for name in providers.get(module, [])}
        if not distributions & declared:
            where = path.relative_to(REPO_ROOT)
            problems.append(f"{module} (imported in {where}; from {sorted(distributions)})")
    return problems


def test_every_package_builder_imports_is_a_dependency() -> None:
    imported = _imported(REPO_ROOT / "builder")

    assert {"click", "docker", "requests", "yaml"} <= set(imported)  # the walk finds them
    assert _undeclared("builder", _declared(PROJECT["dependencies"])) == []


@pytest.mark.parametrize("folder", ["tests", "benchmarks"])
def test_every_package_tests_and_benchmarks_import_is_declared(folder: str) -> None:
    declared = _declared(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"])

    assert _undeclared(folder, declared) == []


def test_a_package_imported_but_not_declared_is_reported() -> None:
    declared = _declared(PROJECT["dependencies"]) - {"requests"}

    assert [problem.split()[0] for problem in _undeclared("builder", declared)] == ["requests"]


def test_the_version_is_written_once_and_is_what_imgbuild_reports() -> None:
    assert "version" not in PROJECT
    assert "version" in PROJECT["dynamic"]
    dev_module("hatchling")
    # What the build backend reads (pyproject's [tool.hatch.version]): builder/__init__.py.
    built = subprocess.run(
        [sys.executable, "-m", "hatchling", "version"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    shown = subprocess.run(
        [sys.executable, "-m", "builder", "--version"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert built == builder.__version__
    assert shown == f"imgbuild, version {builder.__version__}\n"
    assert importlib.metadata.version("imgbuild") == builder.__version__
