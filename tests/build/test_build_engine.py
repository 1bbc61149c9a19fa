"""`imgbuild build` against the real Docker Engine (DOCKER_HOST)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from realparts import kill_process_groups_mentioning

from builder.buildkit import HEREDOC_ENGINE
from builder.cli import run
from builder.engine.operations import Engine
from builder.versions import version_tuple
from tests.build.helpers import write_project

pytestmark = pytest.mark.engine


@pytest.fixture(autouse=True, params=["classic", "buildkit"])
def builder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every behaviour here must hold under both builders (IMGBUILD_BUILDER is --builder)."""
    monkeypatch.setenv("IMGBUILD_BUILDER", request.param)
    return str(request.param)


def chain_project(root: Path, prefix: str, busybox: str) -> Path:
    """base <- mid <- app (app multi-stage, COPY --from base), and an independent `side`."""
    config = f"""
[images.base]
context = "base"
repository = "{prefix}/base"
tags = ["dev"]

[images.mid]
context = "mid"
repository = "{prefix}/mid"
tags = ["dev"]

[images.app]
context = "app"
repository = "{prefix}/app"
tags = ["dev", "candidate"]
args = {{ MESSAGE = "hello" }}
target = "runtime"
labels = {{ team = "pay$ments \\"core\\"" }}

[images.side]
context = "side"
repository = "{prefix}/side"
tags = ["dev"]
"""
    files = {
        "base/Dockerfile": f"FROM {busybox}\nCOPY version.txt /version.txt\n",
        "base/version.txt": f"1 {prefix}\n",  # unique: no other test may share its images
        "mid/Dockerfile": f"ARG BASE={prefix}/base:dev\nFROM ${{BASE}}\nRUN echo mid > /mid\n",
        "app/Dockerfile": (
            f"FROM {prefix}/mid:dev AS build\nARG MESSAGE\nRUN echo $MESSAGE > /message\n"
            f"FROM {prefix}/mid:dev AS runtime\nCOPY --from=build /message /message\n"
            f"COPY --from={prefix}/base:dev /version.txt /base-version\n"
            'CMD ["cat", "/message"]\n'
        ),
        "side/Dockerfile": f"FROM {busybox}\nRUN echo side {prefix} > /side\n",
    }
    return write_project(root, config, files)


def build(config: Path, *args: str) -> tuple[int, dict[str, Any]]:
    metadata = config.parent / "metadata.json"
    code = run(
        ["-f", str(config), "build", "--progress", "plain", "--metadata-file", str(metadata), *args]
    )
    return code, json.loads(metadata.read_text())["images"]


def test_build_applies_tags_then_skips_unchanged_images(
    tmp_path: Path, docker_client: Any, busybox_image: str, unique_name: str
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    code, images = build(config)
    assert code == 0
    assert {name: image["status"] for name, image in images.items()} == dict.fromkeys(
        ["base", "mid", "app", "side"], "built"
    )
    app = docker_client.images.get(f"{unique_name}/app:candidate")
    assert app.id == images["app"]["image_id"]
    assert f"{unique_name}/app:dev" in app.tags
    output = docker_client.containers.run(app.id, remove=True, network_mode="none")
    assert output == b"hello\n"
    assert app.labels["io.imgbuild.input-digest"] == images["app"]["input_digest"]
    assert app.labels["org.opencontainers.image.title"] == "app"
    assert app.labels["team"] == 'pay$ments "core"'
    # The labels went into the runtime stage only: the build stage never got a LABEL step.
    assert "FROM" not in str(app.history()[0]["CreatedBy"])

    code, again = build(config)
    assert code == 0
    assert {image["status"] for image in again.values()} == {"skipped"}
    assert {name: image["image_id"] for name, image in again.items()} == {
        name: image["image_id"] for name, image in images.items()
    }


def test_a_change_rebuilds_the_image_and_exactly_its_dependents(
    tmp_path: Path, docker_client: Any, busybox_image: str, unique_name: str
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    assert build(config)[0] == 0
    (tmp_path / "base" / "version.txt").write_text("2\n")
    code, images = build(config)
    assert code == 0
    statuses = {name: image["status"] for name, image in images.items()}
    assert statuses == {"base": "built", "mid": "built", "app": "built", "side": "skipped"}
    assert build(config, "--set", "images.app.args.MESSAGE=changed")[1]["app"]["status"] == "built"


def test_building_one_image_builds_what_it_needs_only(
    tmp_path: Path, busybox_image: str, unique_name: str
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    code, images = build(config, "mid")
    assert code == 0
    assert sorted(images) == ["base", "mid"]


def test_independent_images_build_in_parallel(
    tmp_path: Path, busybox_image: str, unique_name: str
) -> None:
    config = "".join(
        f'[images.{name}]\ncontext = "{name}"\nrepository = "{unique_name}/{name}"\n'
        for name in ("one", "two")
    )
    files = {
        f"{name}/Dockerfile": f"FROM {busybox_image}\nRUN sleep 2 && echo {name} {unique_name} > /{name}\n"
        for name in ("one", "two")
    }
    path = write_project(tmp_path, config, files)
    events = tmp_path / "events.jsonl"
    with events.open("w") as stream:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "builder",
                "-f",
                str(path),
                "build",
                "--progress",
                "json",
                "-j",
                "2",
            ],
            stdout=stream,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    finished = [
        json.loads(line)["result"]
        for line in events.read_text().splitlines()
        if json.loads(line)["event"] == "image_finished"
    ]
    one, two = sorted(finished, key=lambda item: item["name"])
    assert one["status"] == two["status"] == "built"
    overlap = min(one["finished_at"], two["finished_at"]) - max(
        one["started_at"], two["started_at"]
    )
    assert overlap > 1.0, f"builds did not overlap: {one} {two}"


def test_failure_stops_new_builds_and_reports_the_step_and_log(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    assert build(config)[0] == 0
    old_base = docker_client.images.get(f"{unique_name}/base:dev").id
    (tmp_path / "base" / "Dockerfile").write_text(
        f"FROM {busybox_image}\nRUN echo the-reason-it-broke && exit 3\n"
    )
    capsys.readouterr()
    code, images = build(config, "-j", "1")
    out = capsys.readouterr().out
    assert code == 1
    assert images["base"]["status"] == "failed"
    assert images["mid"]["status"] == images["app"]["status"] == "not-started"
    assert "base failed at Step 2/" in out and ": RUN echo the-reason-it-broke" in out
    assert "returned a non-zero code: 3" in out or "exit code: 3" in out
    assert "| the-reason-it-broke" in out
    # The failed image's tag was not moved.
    assert docker_client.images.get(f"{unique_name}/base:dev").id == old_base


def test_keep_going_builds_what_does_not_depend_on_the_failure(
    tmp_path: Path, busybox_image: str, unique_name: str
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    (tmp_path / "base" / "Dockerfile").write_text(f"FROM {busybox_image}\nRUN false\n")
    code, images = build(config, "--keep-going", "-j", "1")
    assert code == 1
    assert images["side"]["status"] == "built"
    assert images["mid"]["status"] == "not-started"


def test_missing_base_image_is_one_clear_failure(
    tmp_path: Path, busybox_image: str, unique_name: str
) -> None:
    path = write_project(
        tmp_path,
        f'[images.x]\ncontext = "x"\nrepository = "{unique_name}/x"\n',
        {"x/Dockerfile": "FROM imgbuild.invalid/no/such-image:1\n"},
    )
    code, images = build(path)
    assert code == 1
    assert (
        "base image imgbuild.invalid/no/such-image:1 is not in the engine" in images["x"]["error"]
    )


def test_print_shows_the_plan_without_building(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    assert run(["-f", str(config), "build", "--print"]) == 0
    out = capsys.readouterr().out
    assert "1. base: build" in out and "mid: build (dependency rebuilt: base)" in out
    assert not docker_client.images.list(name=f"{unique_name}/base")
    build(config, "base", "side")
    capsys.readouterr()
    assert run(["-f", str(config), "build", "--print"]) == 0
    out = capsys.readouterr().out
    assert "base: skip (inputs unchanged)" in out and "mid: build (inputs changed" in out


def test_no_cache_rebuilds_unchanged_images(
    tmp_path: Path, busybox_image: str, unique_name: str
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    assert build(config, "side")[0] == 0
    assert build(config, "side", "--no-cache")[1]["side"]["status"] == "built"


def test_ctrl_c_cancels_running_builds_and_applies_no_tag(
    tmp_path: Path, docker_client: Any, busybox_image: str, unique_name: str
) -> None:
    path = write_project(
        tmp_path,
        f'[images.slow]\ncontext = "slow"\nrepository = "{unique_name}/slow"\n',
        {"slow/Dockerfile": f"FROM {busybox_image}\nRUN echo started {unique_name} && sleep 67\n"},
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "-f", str(path), "build", "--progress", "plain"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        start_new_session=True,  # not the test's process group, which the `finally` spares
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "[slow] started" in line:
                break
        assert running_sleeps(), "the build step did not start"
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0]
        assert process.returncode == 130, output
        assert "interrupted" in output and "Traceback" not in output
    finally:
        # When an assertion above fails, imgbuild and the docker client it started (in a session
        # of its own) may still run: end both, so a failed run leaves nothing behind.
        kill_process_groups_mentioning(str(tmp_path))
        process.wait()
    # One listing call (`api.containers`), not `containers.list`, which inspects each container
    # it listed and fails when the engine removes one in between, as it does here.
    deadline = time.monotonic() + 10
    while (running_sleeps() or docker_client.api.containers(all=True)) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert running_sleeps() == [], "the build step still runs in the engine"
    assert docker_client.api.containers(all=True) == []
    assert not docker_client.images.list(name=f"{unique_name}/slow")


def running_sleeps() -> list[str]:
    """The build step's process, wherever the engine runs it (a container or BuildKit's runc)."""
    found = subprocess.run(["pgrep", "-f", "^sleep 67$"], capture_output=True, text=True)
    return found.stdout.split()


def test_engine_that_does_not_answer_is_one_line_and_exit_1(
    tmp_path: Path, busybox_image: str, unique_name: str
) -> None:
    config = chain_project(tmp_path, unique_name, busybox_image)
    env = {**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/no-engine.sock"}
    result = subprocess.run(
        [sys.executable, "-m", "builder", "-f", str(config), "build"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("imgbuild: error: the Docker Engine at unix://")
    assert "does not answer" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def engine_takes_heredocs() -> bool:
    return version_tuple(Engine().info().version) >= HEREDOC_ENGINE


@pytest.mark.parametrize(
    ("step", "feature"),
    [
        ("RUN --mount=type=cache,target=/c true", "RUN --mount"),
        ("RUN <<EOF\ntrue\nEOF", "a RUN heredoc"),
    ],
)
def test_buildkit_only_steps_on_the_classic_builder_fail_before_any_build(
    tmp_path: Path,
    busybox_image: str,
    unique_name: str,
    builder: str,
    step: str,
    feature: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write_project(
        tmp_path,
        f'[images.m]\ncontext = "m"\nrepository = "{unique_name}/m"\n',
        {"m/Dockerfile": f"FROM {busybox_image}\n{step}\n"},
    )
    code = run(["-f", str(path), "build", "--print"])
    err = capsys.readouterr().err
    dockerfile = path.parent / "m" / "Dockerfile"
    if builder == "buildkit" and feature == "a RUN heredoc" and not engine_takes_heredocs():
        # This engine's BuildKit cannot parse it either (see test_buildkit_heredocs.py).
        assert code == 2
        assert f"imgbuild: error: {dockerfile}:2: a RUN heredoc needs BuildKit on Docker" in err
        return
    if builder == "buildkit":
        assert code == 0
        return
    assert code == 2
    assert f"imgbuild: error: {dockerfile}:2: {feature} needs BuildKit" in err


def test_a_buildkit_only_step_after_the_target_does_not_stop_the_classic_builder(
    tmp_path: Path, busybox_image: str, unique_name: str, builder: str
) -> None:
    path = write_project(
        tmp_path,
        f'[images.m]\ncontext = "m"\nrepository = "{unique_name}/m"\ntarget = "first"\n',
        {
            "m/Dockerfile": f"FROM {busybox_image} AS first\nRUN true\n"
            f"FROM {busybox_image} AS later\nRUN --mount=type=cache,target=/d true\n"
        },
    )
    assert run(["-f", str(path), "build", "--print"]) == 0
