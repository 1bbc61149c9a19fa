"""Every built-in template's example, scaffolded by `imgbuild new`, built by `imgbuild build` on
the real engine and run: the image's own HEALTHCHECK command passes inside the container.

Nothing can be pulled here, so the base-image answers point at local images. local/toolchains:12
is Debian 12 with Node.js and npm, Go, a JDK with Maven and the plugins of a jar's lifecycle,
nginx and wget (`IMGBUILD_BASE_IMAGES=toolchains scripts/services.sh start`: made on first use,
a few minutes, then cached). On it, BASES adds what a registry would give a build elsewhere:
Maven settings that read Debian's /usr/share/maven-repo offline, nginx configured as the
nginx-unprivileged image is (port 8080, any uid), and the wheels of the Python example's
requirements with the uv binary of the template's uv image (both downloaded from PyPI once and
cached, as the toolchains' packages are). Containers run with no network but their own loopback,
where the healthcheck asks the service.

Not built here: node with pnpm (see NO_PNPM), and the default final images (distroless, the
temurin JRE, nginx-unprivileged), stood in for by local bases with the same programs.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from realparts import BUSYBOX_IMAGE, REPO_ROOT, unavailable

from builder.cli import run
from tests.templates.helpers import imgbuild

pytestmark = [pytest.mark.engine, pytest.mark.timeout(900)]

TOOLCHAINS = "local/toolchains:12"
BASES = "local/template-bases:12"
DEBIAN = "local/debian:12"

# case -> (template, --set answers)
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "node-npm": ("node", {"base_image": BASES}),
    "node-npm-build": ("node", {"base_image": BASES, "build": "true"}),
    "node-yarn": ("node", {"base_image": BASES, "package_manager": "yarn"}),
    "node-pnpm": ("node", {"base_image": BASES, "package_manager": "pnpm"}),
    "python-gunicorn-pip": ("python", {"base_image": BASES}),
    "python-gunicorn-uv": ("python", {"base_image": BASES, "installer": "uv", "uv_image": BASES}),
    "python-stdlib": ("python", {"base_image": DEBIAN, "server": "stdlib"}),
    "go": ("go", {"go_image": BASES, "runtime_image": BUSYBOX_IMAGE}),
    "go-scratch": ("go", {"go_image": BASES, "runtime_image": "scratch"}),
    "java": ("java", {"maven_image": BASES, "runtime_image": BASES}),
    "static": ("static", {"nginx_image": BASES}),
    "static-build": ("static", {"nginx_image": BASES, "node_image": BASES, "build": "true"}),
    "generic": ("generic", {"base_image": BUSYBOX_IMAGE}),
}

NO_PNPM = (
    "pnpm cannot build offline here: the template runs `corepack enable pnpm`, and corepack"
    " downloads pnpm from the npm registry at build time; Debian 12 packages neither corepack"
    " nor pnpm"
)

MAVEN_SETTINGS = """<settings>
  <!-- Debian's packaged plugins, offline: what Maven Central would give a build elsewhere. -->
  <localRepository>/usr/share/maven-repo</localRepository>
  <offline>true</offline>
</settings>
"""

NGINX_CONF = """# As nginx-unprivileged: port 8080, everything it writes under /tmp, run by any uid.
worker_processes 1;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path /tmp/client_temp;
    proxy_temp_path /tmp/proxy_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    server {
        listen 8080;
        root /usr/share/nginx/html;
        index index.html;
    }
}
"""

BASES_DOCKERFILE = f"""FROM {TOOLCHAINS}
COPY maven-settings.xml /etc/maven/settings.xml
COPY nginx.conf /etc/nginx/nginx.conf
RUN ln -sf /dev/stderr /var/log/nginx/error.log && mkdir -p /usr/share/nginx/html \
    && ln -s /usr/bin/yarnpkg /usr/local/bin/yarn
COPY wheels/ /wheels/
COPY uv /uv
ENV PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheels UV_OFFLINE=1 UV_FIND_LINKS=/wheels
"""


@pytest.fixture(scope="session")
def template_bases(
    docker_client: Any, busybox_image: str, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """BASES, built on local/toolchains:12 (which services.sh makes when it is missing)."""
    from docker.errors import ImageNotFound

    try:
        docker_client.images.get(DEBIAN)
    except ImageNotFound:
        unavailable(f"{DEBIAN} is missing; `scripts/services.sh start` makes it")
    made = subprocess.run(
        [str(REPO_ROOT / "scripts" / "services.sh"), "start"],
        env={**os.environ, "IMGBUILD_BASE_IMAGES": "toolchains"},
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        unavailable(f"cannot make {TOOLCHAINS}: {made.stderr.strip().splitlines()[-1:]}")
    context = tmp_path_factory.mktemp("template-bases")
    (context / "maven-settings.xml").write_text(MAVEN_SETTINGS)
    (context / "nginx.conf").write_text(NGINX_CONF)
    _python_packages(context, tmp_path_factory)
    (context / "Dockerfile").write_text(BASES_DOCKERFILE)
    docker_client.images.build(
        path=str(context), tag=BASES, rm=True, forcerm=True, network_mode="none"
    )
    return BASES


def _python_packages(context: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """context/wheels: the python example's requirements; context/uv: the template's uv."""
    example = tmp_path_factory.mktemp("python-example")
    assert imgbuild(None, example, "new", "python", "x", "--no-input").code == 0
    requirements = (example / "x" / "requirements.txt").read_bytes()
    manifest = (REPO_ROOT / "templates" / "python" / "template.toml").read_text()
    uv_version = manifest.split("ghcr.io/astral-sh/uv:", 1)[1].split('"', 1)[0]
    key = hashlib.sha256(requirements + uv_version.encode()).hexdigest()[:12]
    cache = _cache_folder(tmp_path_factory) / f"python-wheels-{key}"
    if not (cache / "done").is_file():
        (cache / "wheels").mkdir(parents=True, exist_ok=True)
        (example / "requirements.txt").write_bytes(requirements)
        _pip_download(cache / "wheels", "--requirement", str(example / "requirements.txt"))
        _pip_download(cache, "--no-deps", f"uv=={uv_version}")
        (cache / "done").touch()
    wheels = context / "wheels"
    wheels.mkdir()
    for wheel in (cache / "wheels").glob("*.whl"):
        (wheels / wheel.name).write_bytes(wheel.read_bytes())
    uv_wheel = next(cache.glob("uv-*.whl"))
    with zipfile.ZipFile(uv_wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".data/scripts/uv"))
        (context / "uv").write_bytes(archive.read(name))
    (context / "uv").chmod(0o755)


def _cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = Path(os.environ.get("IMGBUILD_CACHE", "/var/cache/imgbuild"))
    try:
        cache.mkdir(parents=True, exist_ok=True)
        if os.access(cache, os.W_OK):
            return cache
    except OSError:
        pass
    return tmp_path_factory.mktemp("cache")


def _pip_download(dest: Path, *args: str) -> None:
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"]
    done = subprocess.run(
        [*pip, "--dest", str(dest), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        unavailable(f"pip download {' '.join(args)} failed: {done.stderr.strip()[-300:]}")


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.skip(reason=NO_PNPM)) if "pnpm" in case else case
        for case in sorted(CASES)
    ],
)
def test_example_builds_and_its_healthcheck_passes(
    case: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    docker_client: Any,
    template_bases: str,
    unique_name: str,
) -> None:
    template, answers = CASES[case]
    sets = [arg for key, value in answers.items() for arg in ("--set", f"{key}={value}")]
    outcome = imgbuild(capsys, tmp_path, "new", template, "svc", "--no-input", *sets)
    assert outcome.code == 0, outcome.err
    config = tmp_path / "imgbuild.toml"
    # The image's own repository, so that teardown removes it and parallel runs do not meet.
    config.write_text(config.read_text() + f'repository = "{unique_name}/svc"\n')
    metadata = tmp_path / "metadata.json"
    code = run(
        ["-f", str(config), "build", "--progress", "plain", "--metadata-file", str(metadata)]
    )
    out = capsys.readouterr().out
    assert code == 0, out[-3000:]
    image_id = json.loads(metadata.read_text())["images"]["svc"]["image_id"]
    image = docker_client.images.get(image_id)
    check = image.attrs["Config"].get("Healthcheck", {}).get("Test")
    assert check, f"{case}: the image has no HEALTHCHECK"
    command = check[1:] if check[0] == "CMD" else ["/bin/sh", "-c", check[1]]
    container = docker_client.containers.run(
        image_id, detach=True, name=f"{unique_name}-svc", network_mode="none"
    )
    try:
        _wait_until_healthy(container, command)
    finally:
        container.remove(force=True)


def _wait_until_healthy(container: Any, command: list[str], timeout: float = 90.0) -> None:
    """Run the healthcheck in the container until it exits 0; fail with its output and logs."""
    deadline = time.monotonic() + timeout
    while True:
        container.reload()
        if container.status != "running":
            pytest.fail(f"the service stopped: {container.logs().decode(errors='replace')}")
        exit_code, output = container.exec_run(command)
        if exit_code == 0:
            return
        if time.monotonic() > deadline:
            logs = container.logs().decode(errors="replace")
            pytest.fail(f"{command} exited {exit_code}: {output!r}; the service's log:\n{logs}")
        time.sleep(0.5)
