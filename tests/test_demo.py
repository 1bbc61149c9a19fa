"""scripts/demo.sh fails loudly: a failed step stops the demo with that step's exit status and
a line naming it, and the demo's clean-up still runs.

The demo is run for real, in a copy of the repository's layout whose imgbuild and services.sh
are stand-ins (the real demo needs the engine: `make demo`)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from realparts import REPO_ROOT


def _fake_repo(root: Path, failing_command: str) -> Path:
    """A repository layout for demo.sh whose `imgbuild <failing_command>` exits 3."""
    (root / "scripts").mkdir()
    demo = root / "scripts/demo.sh"
    shutil.copy(REPO_ROOT / "scripts/demo.sh", demo)
    services = root / "scripts/services.sh"
    services.write_text(
        "#!/bin/sh\necho 'export DOCKER_HOST=unix:///nowhere.sock'\n"
        "echo 'export IMGBUILD_REGISTRY=127.0.0.1:1'\n"
    )
    bin_dir = root / ".venv/bin"
    bin_dir.mkdir(parents=True)
    imgbuild = bin_dir / "imgbuild"
    imgbuild.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = {failing_command} ]; then echo "$1: it broke" >&2; exit 3; fi\n'
        'echo "imgbuild $*: ok"\n'
    )
    for script in (services, imgbuild):
        script.chmod(0o755)
    (bin_dir / "python").symlink_to(sys.executable)
    (root / "sample_projects/shop").mkdir(parents=True)
    return demo


@pytest.mark.parametrize(
    ("command", "step"), [("graph", "imgbuild graph"), ("build", "imgbuild build")]
)
def test_a_failed_step_stops_the_demo_and_is_named(tmp_path: Path, command: str, step: str) -> None:
    demo = _fake_repo(tmp_path, command)
    before = set(Path("/tmp").glob("imgbuild-demo.*"))

    result = subprocess.run([demo], capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 3, result.stdout + result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"demo: error: {step} failed (exit 3, scripts/demo.sh line "), last
    assert "==> imgbuild build again" not in result.stdout  # nothing ran after the failure
    assert set(Path("/tmp").glob("imgbuild-demo.*")) == before  # the EXIT clean-up ran


def test_the_demo_writes_the_report_of_its_build_and_says_where(tmp_path: Path) -> None:
    demo = _fake_repo(tmp_path, "publish")
    result = subprocess.run([demo], capture_output=True, text=True, timeout=60, check=False)
    report = tmp_path / ".imgbuild/demo-report.html"
    assert f"imgbuild build --report {report}: ok" in result.stdout
    assert f"the report of this build: {report} (" in result.stdout
