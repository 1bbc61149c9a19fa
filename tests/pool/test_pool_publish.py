"""`imgbuild publish` built across a pool: every image is pushed, wherever it was built."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from builder.cli import run
from tests.build.helpers import write_project
from tests.pool.engines import EngineSet

pytestmark = [pytest.mark.engine, pytest.mark.registry]


def test_publish_pushes_images_built_on_other_engines_of_the_pool(
    tmp_path: Path,
    pool_engines: EngineSet,
    plain_registry: Any,
    unique_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IMGBUILD_BUILDER", "classic")
    hosts = "".join(
        f'[engines.hosts.{name}]\nurl = "{pool_engines[name].url}"\n' for name in ("e1", "e2", "e3")
    )
    images = "".join(
        f'[images.{name}]\ncontext = "{name}"\nrepository = "{unique_name}/{name}"\n'
        f'engine = "{engine}"\n'
        for name, engine in (("api", "e2"), ("web", "e3"))
    )
    write_project(
        tmp_path,
        hosts + images + f'[publish]\nregistries = ["{plain_registry.address}"]\n',
        {f"{name}/Dockerfile": f"FROM scratch\nCOPY {name}.txt /\n" for name in ("api", "web")}
        | {f"{name}/{name}.txt": f"{name} {unique_name}\n" for name in ("api", "web")},
    )
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.test"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], check=True)

    assert run(["-f", str(tmp_path / "imgbuild.toml"), "publish", "--progress", "plain"]) == 0
    for name in ("api", "web"):
        assert plain_registry.digest(f"{unique_name}/{name}", "main") is not None, name
