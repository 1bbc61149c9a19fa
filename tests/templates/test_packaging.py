"""The built-in templates ship inside the wheel, where `builtin_root()` finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from realparts import dev_module

from builder.templates.discovery import builtin_root

REPO = Path(__file__).resolve().parents[2]


def test_editable_install_finds_the_repo_templates() -> None:
    assert builtin_root().path == REPO / "templates"


def test_wheel_holds_every_builtin_template_file(tmp_path: Path) -> None:
    dev_module("hatchling")  # builds the wheel
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    shipped = {
        name.removeprefix("builder/builtin_templates/")
        for name in zipfile.ZipFile(wheel).namelist()
        if name.startswith("builder/builtin_templates/")
    }
    in_repo = {
        path.relative_to(REPO / "templates").as_posix()
        for path in (REPO / "templates").rglob("*")
        if path.is_file()
    }
    assert shipped == in_repo
    assert "python/Dockerfile.j2" in shipped
