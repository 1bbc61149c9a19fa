"""`imgbuild engines` against real engines of our own, and one where nothing listens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder.cli import run
from tests.build.helpers import write_project
from tests.pool.engines import EngineSet

pytestmark = pytest.mark.engine


def test_engines_lists_health_version_disk_and_images_and_exits_1_when_one_is_down(
    tmp_path: Path, pool_engines: EngineSet, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = f"unix://{tmp_path}/nothing.sock"
    config = write_project(
        tmp_path,
        f'[engines.hosts.fast]\nurl = "{pool_engines["e1"].url}"\njobs = 3\n'
        f'[engines.hosts.gone]\nurl = "{dead}"\n'
        '[images.x]\ncontext = "x"\n',
        {"x/Dockerfile": "FROM scratch\n"},
    )
    assert run(["-f", str(config), "engines", "--format", "json"]) == 1
    reports = {report["name"]: report for report in json.loads(capsys.readouterr().out)["engines"]}
    fast, gone = reports["fast"], reports["gone"]
    expected = pool_engines["e1"].client().version()["Version"]
    assert fast["up"] is True and fast["version"] == expected and fast["jobs"] == 3
    assert fast["images"] == len(pool_engines["e1"].client().images.list(all=True))
    assert fast["images_size"] > 0 and fast["free_disk"] > 0
    assert gone == {**gone, "up": False, "reason": "nothing is listening there", "version": None}

    assert run(["engines", "--engine", pool_engines["e2"].url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "NAME",
        "URL",
        "STATUS",
        "VERSION",
        "JOBS",
        "FREE",
        "DISK",
        "IMAGES",
        "SIZE",
        "PLATFORMS",
    ]
    assert lines[1].split()[:4] == ["e1", pool_engines["e2"].url, "up", expected]
    assert "linux/amd64 (native)" in lines[1]
