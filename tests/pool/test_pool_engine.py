"""`imgbuild build` across a pool of three real engines of our own (see conftest.py)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from builder.cli import run
from tests.build.helpers import write_project
from tests.pool.engines import EngineSet

pytestmark = pytest.mark.engine


@pytest.fixture(params=["classic", "buildkit"])
def builder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("IMGBUILD_BUILDER", request.param)
    return str(request.param)


@pytest.fixture
def classic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGBUILD_BUILDER", "classic")


def engines_table(
    engines: EngineSet, names: tuple[str, ...] = ("e1", "e2", "e3"), extra: str = ""
) -> str:
    hosts = "".join(
        f'[engines.hosts.{name}]\nurl = "{engines[name].url}"\njobs = 1\n' for name in names
    )
    return f"[engines]\n{extra}\n{hosts}"


def chain_files(prefix: str) -> dict[str, str]:
    """base <- mid <- app (app copies a file from base too), and an independent side."""
    return {
        "base/Dockerfile": "FROM local/busybox:1\nCOPY version.txt /version.txt\n",
        "base/version.txt": f"base {prefix}\n",
        "mid/Dockerfile": f"FROM {prefix}/base:dev\nRUN echo mid > /mid\n",
        "app/Dockerfile": (
            f"FROM {prefix}/mid:dev\nCOPY --from={prefix}/base:dev /version.txt /base-version\n"
            'CMD ["cat", "/version.txt", "/base-version", "/mid"]\n'
        ),
        "side/Dockerfile": f"FROM local/busybox:1\nRUN echo side {prefix} > /side\n",
    }


def chain_images(prefix: str, placement: dict[str, str] | None = None) -> str:
    text = ""
    for name in ("base", "mid", "app", "side"):
        text += f'[images.{name}]\ncontext = "{name}"\nrepository = "{prefix}/{name}"\n'
        text += 'tags = ["dev"]\n'
        if placement and name in placement:
            text += f'engine = "{placement[name]}"\n'
    return text


def build(config: Path, *args: str) -> tuple[int, dict[str, Any]]:
    metadata = config.parent / "metadata.json"
    metadata.unlink(missing_ok=True)
    code = run(
        ["-f", str(config), "build", "--progress", "plain", "--metadata-file", str(metadata), *args]
    )
    return code, json.loads(metadata.read_text())


def image_on(engines: EngineSet, engine: str, ref: str) -> Any:
    return engines[engine].client().images.get(ref)


def cat(engines: EngineSet, engine: str, image_id: str) -> str:
    output = engines[engine].client().containers.run(image_id, remove=True, network_mode="none")
    return str(output.decode())


def test_independent_images_spread_over_the_engines(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    builder: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = ("one", "two", "three", "four")
    config = engines_table(pool_engines, ("e1", "e2")) + "".join(
        f'[images.{name}]\ncontext = "{name}"\nrepository = "{unique_name}/{name}"\n'
        for name in names
    )
    files = {
        f"{name}/Dockerfile": f"FROM local/busybox:1\nRUN sleep 1 && echo {unique_name} > /{name}\n"
        for name in names
    }
    code, document = build(write_project(tmp_path, config, files))
    out = capsys.readouterr().out
    assert code == 0, out
    images = document["images"]
    assert {image["status"] for image in images.values()} == {"built"}
    placed = {name: image["engine"] for name, image in images.items()}
    assert sorted(placed.values()) == ["e1", "e1", "e2", "e2"], placed
    for name, engine in placed.items():
        other = "e2" if engine == "e1" else "e1"
        assert (
            image_on(pool_engines, engine, f"{unique_name}/{name}:latest").id
            == (images[name]["image_id"])
        )
        assert not pool_engines[other].client().images.list(name=f"{unique_name}/{name}")
    assert "ENGINE" in out.splitlines()[-5]


def test_a_chain_built_across_engines_gets_the_right_base(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    builder: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A stale tag of the base on e2 (another image): the move must re-point it before mid builds.
    stale = pool_engines["e2"].client().images.get("local/busybox:1")
    stale.tag(f"{unique_name}/base", "dev")
    placement = {"base": "e1", "mid": "e2", "app": "e3", "side": "e2"}
    config = write_project(
        tmp_path,
        engines_table(pool_engines) + chain_images(unique_name, placement),
        chain_files(unique_name),
    )
    code, document = build(config)
    out = capsys.readouterr().out
    assert code == 0, out
    images = document["images"]
    assert {name: image["engine"] for name, image in images.items()} == placement
    assert f"[mid] moved {unique_name}/base:dev" not in out  # moves are named by image
    assert "[mid] moved base from e1 to e2 (stream" in out
    assert "[app] moved mid from e2 to e3 (stream" in out
    assert "[app] moved base from e1 to e3 (stream" in out
    app = image_on(pool_engines, "e3", f"{unique_name}/app:dev")
    assert app.id == images["app"]["image_id"]
    assert cat(pool_engines, "e3", app.id) == f"base {unique_name}\nbase {unique_name}\nmid\n"
    # The moved base is the very image built on e1 (content-addressed IDs survive the move).
    assert image_on(pool_engines, "e2", f"{unique_name}/base:dev").id == images["base"]["image_id"]


def test_the_pool_and_a_single_engine_give_the_same_images(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    classic: None,
) -> None:
    files = chain_files(unique_name)
    placement = {"base": "e1", "mid": "e2", "app": "e1", "side": "e2"}
    pooled = write_project(
        tmp_path / "pool",
        engines_table(pool_engines, ("e1", "e2")) + chain_images(unique_name, placement),
        files,
    )
    code, pool_run = build(pooled)
    assert code == 0
    # The same project without [engines] or placements, on e1 alone: what the pool built (and
    # moved to e1) is found by its input digest, and side is built with the same digest.
    single = write_project(tmp_path / "single", chain_images(unique_name), files)
    code, single_run = build(single, "--engine", pool_engines["e1"].url)
    assert code == 0
    pool_images, single_images = pool_run["images"], single_run["images"]
    for name in ("base", "mid", "app", "side"):
        assert single_images[name]["input_digest"] == pool_images[name]["input_digest"], name
        assert (
            single_images[name]["tags"]
            == pool_images[name]["tags"]
            == [f"{unique_name}/{name}:dev"]
        )
    statuses = {name: image["status"] for name, image in single_images.items()}
    assert statuses == {"base": "skipped", "mid": "skipped", "app": "skipped", "side": "built"}
    for name in ("base", "mid", "app"):
        assert single_images[name]["image_id"] == pool_images[name]["image_id"]


def test_an_image_built_on_one_engine_is_reused_when_another_is_asked(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    classic: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = chain_files(unique_name)
    first = write_project(tmp_path / "first", chain_images(unique_name), files)
    code, built = build(first, "--engine", pool_engines["e1"].url)
    assert code == 0
    on_e2 = write_project(
        tmp_path / "second",
        engines_table(pool_engines, ("e1", "e2"))
        + chain_images(unique_name, dict.fromkeys(["base", "mid", "app", "side"], "e2")),
        files,
    )
    capsys.readouterr()
    code, reused = build(on_e2)
    out = capsys.readouterr().out
    assert code == 0, out
    for name, image in reused["images"].items():
        assert image["status"] == "skipped", (name, out)
        assert image["engine"] == "e2"
        assert image["image_id"] == built["images"][name]["image_id"]
        assert image_on(pool_engines, "e2", f"{unique_name}/{name}:dev").id == image["image_id"]
    assert "[side] moved side from e1 to e2 (stream" in out
    # Unconstrained, the pool skips each image where it already is.
    free = write_project(
        tmp_path / "third",
        engines_table(pool_engines, ("e1", "e2")) + chain_images(unique_name),
        files,
    )
    code, again = build(free)
    assert code == 0
    assert {image["status"] for image in again["images"].values()} == {"skipped"}


def test_moves_go_through_the_transfer_registry_when_one_is_set(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    classic: None,
    plain_registry: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra = f'transfer_registry = "{plain_registry.address}/{unique_name}"\n'
    placement = {"base": "e1", "mid": "e2", "app": "e2", "side": "e1"}
    config = write_project(
        tmp_path,
        engines_table(pool_engines, ("e1", "e2"), extra) + chain_images(unique_name, placement),
        chain_files(unique_name),
    )
    code, document = build(config)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "[mid] moved base from e1 to e2 (registry" in out
    assert f"{unique_name}/imgbuild-transfer" in plain_registry.catalog()
    app = document["images"]["app"]
    assert cat(pool_engines, "e2", app["image_id"]).startswith(f"base {unique_name}\n")
    # The transfer tags are not left behind on either engine.
    for engine in ("e1", "e2"):
        tags = [tag for image in pool_engines[engine].client().images.list() for tag in image.tags]
        assert not [tag for tag in tags if "imgbuild-transfer" in tag], (engine, tags)


def test_print_shows_where_each_image_builds_and_what_moves(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    classic: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    placement = {"base": "e1", "mid": "e2"}
    config = write_project(
        tmp_path,
        engines_table(pool_engines, ("e1", "e2")) + chain_images(unique_name, placement),
        chain_files(unique_name),
    )
    assert run(["-f", str(config), "build", "--print"]) == 0
    out = capsys.readouterr().out
    assert f"on e1={pool_engines['e1'].url}, e2={pool_engines['e2'].url}:" in out
    entries = {entry.split(":")[0]: entry for entry in re.split(r"\n\d+\. ", out)[1:]}
    assert "engine: e2" in entries["mid"] and "move: base e1 -> e2 (stream)" in entries["mid"]
    # app follows mid (fewest moves: base is on e2 by then too).
    assert "engine: e2" in entries["app"] and "move:" not in entries["app"]
    # side (planned right after base, on e1) goes to the engine with less work.
    assert "engine: e2" in entries["side"] and "move:" not in entries["side"]
    assert run(["-f", str(config), "build", "--print", "--progress", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["engines"] == {name: pool_engines[name].url for name in ("e1", "e2")}
    mid_entry = next(image for image in document["images"] if image["name"] == "mid")
    assert mid_entry["placed_on"] == "e2"
    assert mid_entry["moves"] == [{"image": "base", "from": "e1", "to": "e2", "via": "stream"}]
    assert not pool_engines["e1"].client().images.list(name=f"{unique_name}/base")


def test_an_engine_down_at_the_start_is_left_out_and_reported(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    classic: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dead = f"unix://{tmp_path}/nothing.sock"
    config = write_project(
        tmp_path,
        f'[engines.hosts.gone]\nurl = "{dead}"\n'
        + engines_table(pool_engines, ("e1",))
        + chain_images(unique_name),
        chain_files(unique_name),
    )
    code, document = build(config)
    out = capsys.readouterr().out
    assert code == 0, out
    assert {image["engine"] for image in document["images"].values()} == {"e1"}
    assert document["engines_down"] == {"gone": "nothing is listening there"}
    assert "imgbuild: engine gone is down (nothing is listening there)" in out
    assert "engine gone went down: nothing is listening there" in out


def test_an_engine_killed_mid_build_is_marked_down_and_the_run_completes(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    builder: str,
) -> None:
    names = ("one", "two", "three")
    config = engines_table(pool_engines) + "".join(
        f'[images.{name}]\ncontext = "{name}"\nrepository = "{unique_name}/{name}"\n'
        for name in names
    )
    files = {
        f"{name}/Dockerfile": (
            f"FROM local/busybox:1\nRUN echo started-{name} {unique_name} && sleep 3\n"
        )
        for name in names
    }
    path = write_project(tmp_path, config, files)
    metadata = tmp_path / "metadata.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "builder",
            "-f",
            str(path),
            "build",
            "--progress",
            "json",
            "--metadata-file",
            str(metadata),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    victim = None
    for line in process.stdout:
        event = json.loads(line)
        if event["event"] == "image_started" and event["engine"] == "e3":
            victim = event["name"]
        if victim and event["event"] == "image_log" and f"started-{victim}" in event["text"]:
            pool_engines["e3"].kill()
            break
    assert victim is not None, "nothing started on e3"
    rest, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    events = [json.loads(line) for line in rest.splitlines()]
    down = [event for event in events if event["event"] == "engine_down"]
    assert [(event["engine"], event["retried"]) for event in down] == [("e3", [victim])]
    images = json.loads(metadata.read_text())
    assert {image["status"] for image in images["images"].values()} == {"built"}
    assert images["images"][victim]["engine"] in ("e1", "e2")
    assert list(images["engines_down"]) == ["e3"]
    assert "engine e3 went down" in errors and "ENGINE" in errors
    rebuilt = images["images"][victim]
    assert (
        image_on(pool_engines, rebuilt["engine"], f"{unique_name}/{victim}:latest").id
        == (rebuilt["image_id"])
    )


def test_gather_brings_every_image_of_a_pool_run_to_the_first_engine(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    classic: None,
) -> None:
    from builder.build import open_session
    from builder.scheduler import RunOptions

    placement = {"base": "e2", "mid": "e3", "app": "e2", "side": "e3"}
    config = write_project(
        tmp_path,
        engines_table(pool_engines) + chain_images(unique_name, placement),
        chain_files(unique_name),
    )
    session = open_session(config)
    result = session.run(session.plan(), RunOptions(), lambda _: None)
    assert not result.failed
    assert not pool_engines["e1"].client().images.list(name=f"{unique_name}/side")
    session.gather(result)
    for image in result.results:
        assert image_on(pool_engines, "e1", f"{unique_name}/{image.name}:dev").id == (
            image.image_id
        )


def test_a_dependency_only_a_dead_engine_held_is_built_again_for_its_dependent(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    classic: None,
) -> None:
    # e3 first: base (ready at once, like gate) goes there; gate keeps e1 busy while e3 dies.
    config = (
        engines_table(pool_engines, ("e3", "e1"))
        + f'[images.base]\ncontext = "base"\nrepository = "{unique_name}/base"\n'
        + f'[images.gate]\ncontext = "gate"\nrepository = "{unique_name}/gate"\n'
        + f'[images.app]\ncontext = "app"\nrepository = "{unique_name}/app"\n'
        + 'depends_on = ["gate"]\n'
    )
    files = {
        "base/Dockerfile": "FROM local/busybox:1\nCOPY version.txt /version.txt\n",
        "base/version.txt": f"base {unique_name}\n",
        "gate/Dockerfile": f"FROM local/busybox:1\nRUN sleep 3 && echo {unique_name} > /gate\n",
        "app/Dockerfile": f"FROM {unique_name}/base\nRUN cat /version.txt > /copied\n",
    }
    path = write_project(tmp_path, config, files)
    metadata = tmp_path / "metadata.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "builder",
            "-f",
            str(path),
            "build",
            "--progress",
            "json",
            "--metadata-file",
            str(metadata),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        event = json.loads(line)
        if event["event"] == "image_finished" and event["result"]["name"] == "base":
            assert event["result"]["engine"] == "e3"
            pool_engines["e3"].kill()
            break
    rest, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    logs = [json.loads(line) for line in rest.splitlines()]
    assert any(
        event["event"] == "image_log"
        and event["name"] == "base"
        and "building it again" in event["text"]
        for event in logs
    ), rest
    images = json.loads(metadata.read_text())["images"]
    assert {name: image["engine"] for name, image in images.items()} == dict.fromkeys(
        ["base", "gate", "app"], "e1"
    )
    app = images["app"]["image_id"]
    output = (
        pool_engines["e1"]
        .client()
        .containers.run(app, ["cat", "/copied"], remove=True, network_mode="none")
    )
    assert output.decode() == f"base {unique_name}\n"
    assert "engine e3 went down" in errors


def test_an_engine_that_hangs_mid_build_is_marked_down_and_its_build_retried(
    tmp_path: Path,
    pool_engines: EngineSet,
    unique_name: str,
    builder: str,
) -> None:
    from builder.build import open_session
    from builder.events import EngineDown, ImageLog, ImageStarted
    from builder.scheduler import RunOptions

    names = ("one", "two", "three")
    config = engines_table(pool_engines) + "".join(
        f'[images.{name}]\ncontext = "{name}"\nrepository = "{unique_name}/{name}"\n'
        for name in names
    )
    files = {
        f"{name}/Dockerfile": (
            f"FROM local/busybox:1\nRUN echo started-{name} {unique_name} && sleep 2\n"
        )
        for name in names
    }
    session = open_session(write_project(tmp_path, config, files))
    hung = pool_engines["e3"]
    assert hung.process is not None
    hung_pid = hung.process.pid
    events: list[Any] = []
    on_e3: list[str] = []

    def emit(event: Any) -> None:
        events.append(event)
        if isinstance(event, ImageStarted) and event.engine == "e3":
            on_e3.append(event.name)
        if (
            isinstance(event, ImageLog)
            and on_e3
            and event.name == on_e3[0]
            and "started-" in event.text
            and len(on_e3) == 1
        ):
            on_e3.append("stopped")
            os.kill(hung_pid, signal.SIGSTOP)  # accepts connections, answers nothing

    try:
        result = session.run(session.plan(builder=builder), RunOptions(health_interval=1), emit)
    finally:
        os.kill(hung_pid, signal.SIGCONT)
    assert on_e3[1:] == ["stopped"], on_e3
    assert not result.failed, result.results
    assert list(result.engines_down) == ["e3"]
    down = [event for event in events if isinstance(event, EngineDown)]
    assert [(event.engine, event.retried) for event in down] == [("e3", (on_e3[0],))]
    assert result.result(on_e3[0]).engine in ("e1", "e2")
