"""The BuildKit builder on the real engine: cache mounts, secrets, skipped stages, targets,
network, and the same graph giving the same images under both builders."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realparts import unavailable

from builder.cli import run
from tests.build.helpers import write_project

pytestmark = pytest.mark.engine


@pytest.fixture(autouse=True)
def buildkit_client(docker_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test names its builders itself; none comes from the caller's environment."""
    from builder.buildkit import find_client

    monkeypatch.delenv("IMGBUILD_BUILDER", raising=False)
    if find_client() is None:
        unavailable("no docker client that drives BuildKit (Debian's docker.io: /usr/bin/docker)")


def build(
    config: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, dict[str, Any], str]:
    """Run `imgbuild build` in-process: exit code, the metadata's images, stdout + stderr."""
    metadata = config.parent / "metadata.json"
    metadata.unlink(missing_ok=True)
    capsys.readouterr()
    code = run(
        ["-f", str(config), "build", "--progress", "plain", "--metadata-file", str(metadata), *args]
    )
    captured = capsys.readouterr()
    images = json.loads(metadata.read_text())["images"] if metadata.exists() else {}
    return code, images, captured.out + captured.err


def image_config(prefix: str, name: str, *extra: str) -> str:
    lines = [f"[images.{name}]", f'context = "{name}"', f'repository = "{prefix}/{name}"', *extra]
    return "\n".join(lines) + "\n"


def cat(docker_client: Any, image: str, path: str) -> str:
    output: bytes = docker_client.containers.run(
        image, ["cat", path], remove=True, network_mode="none"
    )
    return output.decode()


# ---------------------------------------------------------------------------------------------
# Cache mounts


def test_a_cache_mount_filled_by_one_build_serves_the_next_after_a_dependency_change(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The cache id is unique to this test, so only the first build below can have filled it.
    dockerfile = (
        f"FROM {busybox_image}\n"
        "COPY deps.txt /deps.txt\n"
        f"RUN --mount=type=cache,id={unique_name},target=/cache \\\n"
        "    if [ -f /cache/filled ]; then echo hit > /result; \\\n"
        "    else echo miss > /result; cat /deps.txt > /cache/filled; fi\n"
    )
    config = write_project(
        tmp_path,
        image_config(unique_name, "app", 'builder = "buildkit"'),
        {"app/Dockerfile": dockerfile, "app/deps.txt": f"one {unique_name}\n"},
    )
    code, images, _ = build(config, capsys)
    assert code == 0 and images["app"]["builder"] == "buildkit"
    assert cat(docker_client, f"{unique_name}/app:latest", "/result") == "miss\n"
    # Nothing of the cache is in the image.
    assert "filled" not in cat(docker_client, f"{unique_name}/app:latest", "/deps.txt")

    (tmp_path / "app" / "deps.txt").write_text(f"two {unique_name}\n")
    code, images, _ = build(config, capsys)
    assert code == 0 and images["app"]["status"] == "built"
    assert cat(docker_client, f"{unique_name}/app:latest", "/deps.txt") == f"two {unique_name}\n"
    assert cat(docker_client, f"{unique_name}/app:latest", "/result") == "hit\n"


# ---------------------------------------------------------------------------------------------
# Secrets


@pytest.fixture
def secret_values(
    tmp_path: Path, unique_name: str, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """An env secret and a file secret, each a value that appears nowhere else."""
    values = {
        "token": f"tok-{unique_name}-{hashlib.sha256(unique_name.encode()).hexdigest()[:24]}",
        "npmrc": f"//npm.example/:_authToken=npm-{unique_name}-{unique_name[::-1]}\n",
    }
    monkeypatch.setenv("IMGBUILD_TEST_API_TOKEN", values["token"])
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "npmrc").write_text(values["npmrc"])
    return values


def secret_project(root: Path, prefix: str, busybox: str) -> Path:
    config = image_config(
        prefix,
        "app",
        'builder = "buildkit"',
        'secrets = { npmrc = { file = "home/npmrc" }, token = { env = "IMGBUILD_TEST_API_TOKEN" } }',
    )
    dockerfile = (
        f"FROM {busybox}\n"
        "RUN --mount=type=secret,id=token --mount=type=secret,id=npmrc \\\n"
        "    wc -c < /run/secrets/token > /token-length \\\n"
        "    && sha256sum /run/secrets/npmrc | cut -d ' ' -f 1 > /npmrc-sha256 \\\n"
        f"    && echo step-ran-with-secrets {prefix}\n"
    )
    return write_project(root, config, {"app/Dockerfile": dockerfile})


def test_secrets_are_readable_in_their_step_and_absent_from_layers_history_output_and_metadata(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    secret_values: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = secret_project(tmp_path, unique_name, busybox_image)
    code, images, output = build(config, capsys)
    assert code == 0, output
    assert "step-ran-with-secrets" in output
    image = docker_client.images.get(f"{unique_name}/app:latest")
    assert int(cat(docker_client, image.id, "/token-length")) == len(secret_values["token"])
    npmrc_sha = hashlib.sha256(secret_values["npmrc"].encode()).hexdigest()
    assert cat(docker_client, image.id, "/npmrc-sha256") == npmrc_sha + "\n"

    found = scan_saved_image(image, [*secret_values.values(), npmrc_sha])
    # The scan reads every layer's files: it finds what the step wrote...
    assert "npmrc-sha256" in found[npmrc_sha]
    # ...and no value of any secret, in any layer file, the config or the manifest.
    assert found[secret_values["token"]] == [] and found[secret_values["npmrc"]] == []
    history = json.dumps(image.history())
    metadata = (tmp_path / "metadata.json").read_text()
    for value in secret_values.values():
        assert value.strip() not in history
        assert value.strip() not in output
        assert value.strip() not in metadata
    assert images["app"]["builder"] == "buildkit"


def scan_saved_image(image: Any, needles: list[str]) -> dict[str, list[str]]:
    """For each needle, the files of `docker save` (layer files included) that contain it."""
    archive = io.BytesIO(b"".join(image.save(named=False)))
    found: dict[str, list[str]] = {needle: [] for needle in needles}
    layers = 0
    with tarfile.open(fileobj=archive) as saved:
        for member in saved.getmembers():
            stream = saved.extractfile(member) if member.isfile() else None
            if stream is None:
                continue
            data = stream.read()
            files = [(member.name, data)]
            if member.name.endswith("layer.tar"):
                layers += 1
                files = [(member.name, data), *layer_files(data)]
            for name, content in files:
                for needle in needles:
                    if needle.strip().encode() in content:
                        found[needle].append(name)
    assert layers >= 2, "the saved image has fewer layers than its Dockerfile makes"
    return found


def layer_files(data: bytes) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(data)) as layer:
        for member in layer.getmembers():
            stream = layer.extractfile(member) if member.isfile() else None
            if stream is not None:
                yield member.name, stream.read()


def test_a_new_secret_value_does_not_rebuild_but_a_new_secret_name_does(
    tmp_path: Path,
    busybox_image: str,
    unique_name: str,
    secret_values: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = secret_project(tmp_path, unique_name, busybox_image)
    assert build(config, capsys)[0] == 0
    monkeypatch.setenv("IMGBUILD_TEST_API_TOKEN", "a-rotated-token")
    assert build(config, capsys)[1]["app"]["status"] == "skipped"
    config.write_text(config.read_text().replace("token = {", "api_token = {"))
    assert build(config, capsys)[1]["app"]["status"] == "built"


@pytest.mark.parametrize("how", ["config", "command line"])
def test_secrets_with_the_classic_builder_exit_2_and_say_why(
    how: str,
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    secret_values: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = secret_project(tmp_path, unique_name, busybox_image)
    if how == "config":
        config.write_text(config.read_text().replace('builder = "buildkit"', 'builder = "classic"'))
        code, images, output = build(config, capsys)
    else:
        code, images, output = build(config, capsys, "--builder", "classic")
    assert code == 2
    assert "images.app.secrets: the classic builder cannot pass secrets" in output
    assert 'builder = "buildkit"' in output  # the hint says what to do
    assert "Traceback" not in output and images == {}
    assert not docker_client.images.list(name=f"{unique_name}/app")


# ---------------------------------------------------------------------------------------------
# Stages: unused ones and --target


def test_an_unused_stage_whose_step_fails_is_not_built(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dockerfile = (
        f"FROM {busybox_image} AS unused\n"
        "RUN echo unused-stage-ran && exit 7\n"
        f"FROM {busybox_image} AS app\n"
        f"RUN echo app {unique_name} > /app\n"
    )
    config = write_project(
        tmp_path, image_config(unique_name, "app"), {"app/Dockerfile": dockerfile}
    )
    code, images, output = build(config, capsys, "--builder", "buildkit")
    assert code == 0, output
    assert images["app"]["status"] == "built" and images["app"]["builder"] == "buildkit"
    assert "unused-stage-ran" not in output
    assert cat(docker_client, f"{unique_name}/app:latest", "/app") == f"app {unique_name}\n"
    # The stage would fail if built: the classic builder builds it, and fails.
    code, images, output = build(config, capsys, "--builder", "classic", "--no-cache")
    assert code == 1 and "unused-stage-ran" in output


def test_builder_classic_on_the_command_line_orders_what_its_unused_stage_reads(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Images configured for BuildKit, built with --builder classic: the classic builder runs
    app's unused first stage, FROM base, so base must be built first (one job: without the
    edge, app, listed first, would be built first and fail to find base)."""
    config = write_project(
        tmp_path,
        image_config(unique_name, "app", 'builder = "buildkit"')
        + image_config(unique_name, "base", 'builder = "buildkit"'),
        {
            "app/Dockerfile": (
                f"FROM {unique_name}/base AS tools\nRUN true\n"
                f"FROM {busybox_image} AS app\nRUN echo app {unique_name} > /app\n"
            ),
            "base/Dockerfile": f"FROM {busybox_image}\nRUN echo base {unique_name} > /base\n",
        },
    )
    for builder, after in (("buildkit", []), ("classic", ["base"])):
        capsys.readouterr()
        command = ["-f", str(config), "build", "--print", "--progress", "json"]
        assert run([*command, "--builder", builder]) == 0
        planned = {i["name"]: i for i in json.loads(capsys.readouterr().out)["images"]}
        assert planned["app"]["dependencies"] == after, builder
        assert planned["app"]["builder"] == builder
    code, images, output = build(config, capsys, "--builder", "classic", "-j", "1")
    assert code == 0, output
    assert statuses(images) == {"app": "built", "base": "built"}
    assert images["base"]["builder"] == images["app"]["builder"] == "classic"
    assert output.index("[base]") < output.index("[app]")


def test_target_builds_only_the_stages_the_target_needs(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dockerfile = (
        f"FROM {busybox_image} AS unused\n"
        "RUN echo unused-stage-ran && exit 7\n"
        f"FROM {busybox_image} AS deps\n"
        f"RUN echo deps {unique_name} > /deps\n"
        f"FROM {busybox_image} AS runtime\n"
        "COPY --from=deps /deps /deps\n"
        "FROM runtime AS debug\n"
        "RUN echo later-stage-ran && exit 9\n"
    )
    config = write_project(
        tmp_path,
        image_config(unique_name, "app", 'target = "runtime"'),
        {"app/Dockerfile": dockerfile},
    )
    code, images, output = build(config, capsys, "--builder", "buildkit")
    assert code == 0, output
    assert "unused-stage-ran" not in output and "later-stage-ran" not in output
    image = docker_client.images.get(f"{unique_name}/app:latest")
    assert cat(docker_client, image.id, "/deps") == f"deps {unique_name}\n"
    # The labels (and so the input digest) went to the target stage.
    assert image.labels["io.imgbuild.input-digest"] == images["app"]["input_digest"]


# ---------------------------------------------------------------------------------------------
# Both builders, one graph


def graph_project(root: Path, prefix: str, busybox: str) -> Path:
    """base <- app (two stages, COPY --from base), and an independent side image."""
    config = (
        image_config(prefix, "base", 'tags = ["dev"]')
        + image_config(prefix, "app", 'tags = ["dev", "candidate"]', 'args = { MESSAGE = "hi" }')
        + image_config(prefix, "side")
    )
    files = {
        "base/Dockerfile": f"FROM {busybox}\nCOPY version.txt /version.txt\n",
        "base/version.txt": f"1 {prefix}\n",
        "app/Dockerfile": (
            f"FROM {busybox} AS build\nARG MESSAGE\nRUN echo $MESSAGE > /message\n"
            f"FROM {prefix}/base:dev\nCOPY --from=build /message /message\n"
        ),
        "side/Dockerfile": f"FROM {busybox}\nRUN echo side {prefix} > /side\n",
    }
    return write_project(root, config, files)


def test_the_same_graph_gives_the_same_images_and_skips_under_both_builders(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = graph_project(tmp_path, unique_name, busybox_image)
    code, classic, _ = build(config, capsys, "--builder", "classic")
    assert code == 0 and {image["status"] for image in classic.values()} == {"built"}

    code, buildkit, output = build(config, capsys, "--builder", "buildkit")
    assert code == 0
    assert {image["status"] for image in buildkit.values()} == {"skipped"}
    assert {image["builder"] for image in buildkit.values()} == {"buildkit"}
    assert ids(buildkit) == ids(classic)
    assert "skipped  buildkit" in output  # the summary's BUILDER column
    for name, image in classic.items():
        for ref in image["tags"]:
            assert docker_client.images.get(ref).id == image["image_id"], (name, ref)

    # A change rebuilds exactly the changed image and its dependents, under either builder.
    (tmp_path / "base" / "version.txt").write_text(f"2 {unique_name}\n")
    code, rebuilt, _ = build(config, capsys, "--builder", "buildkit")
    assert code == 0
    assert statuses(rebuilt) == {"base": "built", "app": "built", "side": "skipped"}
    assert cat(docker_client, f"{unique_name}/app:candidate", "/version.txt") == (
        f"2 {unique_name}\n"
    )
    code, again, _ = build(config, capsys, "--builder", "classic")
    assert code == 0 and set(statuses(again).values()) == {"skipped"}
    assert ids(again) == ids(rebuilt)


def ids(images: dict[str, Any]) -> dict[str, str]:
    return {name: image["image_id"] for name, image in images.items()}


def statuses(images: dict[str, Any]) -> dict[str, str]:
    return {name: image["status"] for name, image in images.items()}


def test_print_and_auto_name_the_builder(
    tmp_path: Path,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = graph_project(tmp_path, unique_name, busybox_image)
    capsys.readouterr()
    assert run(["-f", str(config), "build", "--print", "side"]) == 0
    out = capsys.readouterr().out
    assert "builder: buildkit (auto: " in out  # auto picks BuildKit where a client drives it


# ---------------------------------------------------------------------------------------------
# Network


@pytest.fixture
def loopback_server(unique_name: str) -> Iterator[tuple[str, str]]:
    """An HTTP server on 127.0.0.1 (a free port) serving one body; yields its URL and body."""
    body = f"served {unique_name}\n"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/file", body
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.parametrize("builder", ["buildkit", "classic"])
def test_build_steps_reach_the_network_only_with_network_host(
    builder: str,
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    loopback_server: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, body = loopback_server
    # (busybox-static's wget crashes with -T; without it, a refused connection fails at once.)
    dockerfile = (
        f'FROM {busybox_image}\nARG URL\nRUN wget -q -O /fetched "$URL" && echo {unique_name}\n'
    )
    config = write_project(
        tmp_path,
        image_config(unique_name, "app", f'args = {{ URL = "{url}" }}'),
        {"app/Dockerfile": dockerfile},
    )
    code, images, output = build(config, capsys, "--builder", builder)
    assert code == 1, output
    assert images["app"]["status"] == "failed"
    assert "RUN wget" in images["app"]["step"]
    assert "can't connect to remote host (127.0.0.1): Connection refused" in output

    config.write_text(config.read_text() + 'network = "host"\n')
    code, images, output = build(config, capsys, "--builder", builder)
    assert code == 0, output
    assert cat(docker_client, f"{unique_name}/app:latest", "/fetched") == body
