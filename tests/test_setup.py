"""The set-up scripts and the packaging: what `make test`/`make demo` stand on.

scripts/services.sh is run for real against its own state folder and port, so these tests
never touch the engine and registry the rest of the suite uses, except to prove that
services.sh leaves alone what it did not start.
"""

from __future__ import annotations

import filecmp
import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realparts import REPO_ROOT, Registry, free_port, unavailable

SCRIPTS = REPO_ROOT / "scripts"


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of running processes that contain `text` (zombies have none)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in line:
            found.append(line)
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def state() -> Iterator[Path]:
    """A fresh, short state folder (socket paths must stay short); stopped and removed after."""
    folder = Path(f"/tmp/ibt-{secrets.token_hex(3)}")
    yield folder
    subprocess.run(
        [SCRIPTS / "services.sh", "stop"],
        env={**os.environ, "IMGBUILD_STATE": str(folder)},
        capture_output=True,
        check=False,
    )
    shutil.rmtree(folder, ignore_errors=True)


def _services(
    command: str, state: Path, *, port: int, docker_host: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DOCKER_HOST"}
    env.update(
        IMGBUILD_STATE=str(state),
        IMGBUILD_REGISTRY_PORT=str(port),
        IMGBUILD_BASE_IMAGES="busybox",  # the Debian image is slow to make and tested by make demo
    )
    if docker_host is not None:
        env["DOCKER_HOST"] = docker_host
    return subprocess.run(
        [SCRIPTS / "services.sh", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _require_root_and_tools() -> None:
    if os.geteuid() != 0:
        unavailable("services.sh starts dockerd, which needs root")
    for tool in ("dockerd", "docker-registry", "/usr/bin/docker", "curl"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (scripts/install.sh)")


@pytest.mark.engine
@pytest.mark.slow
def test_services_start_twice_runs_one_engine_and_stop_ends_it(state: Path) -> None:
    _require_root_and_tools()
    port = free_port()

    first = _services("start", state, port=port)
    assert first.returncode == 0, first.stderr
    engine_pid = (state / "engine.pid").read_text()
    registry_pid = (state / "registry.pid").read_text()
    second = _services("start", state, port=port)
    assert second.returncode == 0, second.stderr

    assert "reusing" in second.stderr
    assert (state / "engine.pid").read_text() == engine_pid
    assert (state / "registry.pid").read_text() == registry_pid
    engines = [line for line in _processes_mentioning(f"{state}/docker.sock") if "dockerd" in line]
    assert len(engines) == 1, engines
    assert _answers(f"http://127.0.0.1:{port}/v2/")
    env = _services("env", state, port=port).stdout
    assert env == (
        f"export DOCKER_HOST=unix://{state}/docker.sock\n"
        f"export IMGBUILD_REGISTRY=127.0.0.1:{port}\n"
    )
    inspect = subprocess.run(
        [
            "/usr/bin/docker",
            "-H",
            f"unix://{state}/docker.sock",
            "image",
            "inspect",
            "local/busybox:1",
        ],
        capture_output=True,
        check=False,
    )
    assert inspect.returncode == 0

    stopped = _services("stop", state, port=port)

    assert stopped.returncode == 0, stopped.stderr
    assert _processes_mentioning(str(state)) == []
    assert str(state) not in Path("/proc/mounts").read_text()
    assert not _answers(f"http://127.0.0.1:{port}/v2/")
    assert not (state / "engine.pid").exists()
    assert not (state / "registry.pid").exists()


@pytest.mark.slow
def test_services_stop_leaves_alone_what_it_did_not_start(
    state: Path, docker_client: Any, plain_registry: Registry
) -> None:
    _require_root_and_tools()
    docker_host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    port = int(plain_registry.address.rsplit(":", 1)[1])

    started = _services("start", state, port=port, docker_host=docker_host)
    assert started.returncode == 0, started.stderr
    assert not (state / "engine.pid").exists()
    assert not (state / "registry.pid").exists()
    assert _services("env", state, port=port, docker_host=docker_host).stdout == (
        f"export DOCKER_HOST={docker_host}\nexport IMGBUILD_REGISTRY={plain_registry.address}\n"
    )
    status = _services("status", state, port=port, docker_host=docker_host).stdout
    assert status.count("not started by services.sh") == 2, status

    stopped = _services("stop", state, port=port, docker_host=docker_host)

    assert stopped.returncode == 0, stopped.stderr
    assert docker_client.ping()
    assert plain_registry.status("/v2/") == 200


def test_services_refuses_a_state_folder_too_long_for_unix_sockets() -> None:
    _require_root_and_tools()
    state = Path("/tmp") / ("imgbuild-" + "x" * 90)
    try:
        result = _services("start", state, port=free_port())

        assert result.returncode == 1
        assert "too long for unix sockets" in result.stderr
        assert "choose a shorter folder" in result.stderr
        assert _processes_mentioning(str(state)) == []
    finally:
        shutil.rmtree(state, ignore_errors=True)


def test_services_env_before_start_says_what_to_run(state: Path) -> None:
    result = _services("env", state, port=free_port())

    assert result.returncode == 1
    assert result.stdout == ""
    assert "not started; run: scripts/services.sh start" in result.stderr


def test_services_rejects_an_unknown_command(state: Path) -> None:
    result = _services("restart", state, port=free_port())

    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_install_is_quiet_and_changes_nothing_when_everything_is_installed() -> None:
    listed = subprocess.run(
        ["sed", "-n", "/^PACKAGES=(/,/)/p", SCRIPTS / "install.sh"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    packages = listed.replace("PACKAGES=(", "").replace(")", "").split()
    assert "docker.io" in packages
    for package in packages:
        query = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if query.stdout != "installed":
            unavailable(f"{package} is not installed; run scripts/install.sh first")

    result = subprocess.run(
        [SCRIPTS / "install.sh"], capture_output=True, text=True, timeout=60, check=False
    )

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_install_updates_once_and_installs_only_what_is_missing(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        unavailable("install.sh installs as root")
    fakes = tmp_path / "bin"
    fakes.mkdir()
    calls = tmp_path / "apt-calls"
    # dpkg-query says only curl is missing; apt-get records what it is asked to do.
    (fakes / "dpkg-query").write_text(
        '#!/bin/sh\nfor last; do :; done\n[ "$last" = curl ] || printf installed\n'
    )
    (fakes / "apt-get").write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    for fake in fakes.iterdir():
        fake.chmod(0o755)

    result = subprocess.run(
        [SCRIPTS / "install.sh"],
        env={**os.environ, "PATH": f"{fakes}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert calls.read_text() == "update -q\ninstall -y -q curl\n"
    assert "installed curl" in result.stderr


def _without_session_bus() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("DBUS_SESSION_BUS_ADDRESS", "IMGBUILD_KEYRING_SESSION")
    }


def _require_keyring_tools() -> None:
    for tool in ("dbus-run-session", "dbus-send", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (scripts/install.sh)")


@pytest.mark.keyring
def test_with_keyring_gives_a_throwaway_secret_service() -> None:
    _require_keyring_tools()
    before = set(Path("/tmp").glob("imgbuild-keyring.*"))
    script = (
        "import keyring\n"
        "from keyring.backends import SecretService\n"
        "assert isinstance(keyring.get_keyring(), SecretService.Keyring), keyring.get_keyring()\n"
        "keyring.set_password('imgbuild-setup-test', 'u', 'round-trip')\n"
        "print(keyring.get_password('imgbuild-setup-test', 'u'))\n"
    )
    first = subprocess.run(
        [SCRIPTS / "with-keyring.sh", sys.executable, "-c", script],
        env=_without_session_bus(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    again = subprocess.run(
        [
            SCRIPTS / "with-keyring.sh",
            sys.executable,
            "-c",
            "import keyring; print(keyring.get_password('imgbuild-setup-test', 'u'))",
        ],
        env=_without_session_bus(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (first.returncode, first.stdout) == (0, "round-trip\n"), first.stderr
    # Each run has its own keyring: nothing stored by one run is seen by the next.
    assert (again.returncode, again.stdout) == (0, "None\n"), again.stderr
    assert set(Path("/tmp").glob("imgbuild-keyring.*")) == before


def test_with_keyring_exits_with_the_command_status() -> None:
    _require_keyring_tools()
    result = subprocess.run(
        [SCRIPTS / "with-keyring.sh", "sh", "-c", "exit 7"],
        env=_without_session_bus(),
        capture_output=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 7


@pytest.mark.slow
def test_non_editable_install_runs_and_ships_the_templates(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = Path(
        subprocess.run(
            [venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Offline: the dependencies (and hatchling, the build backend) come from the environment
    # running the tests, put on the new environment's path; imgbuild itself is built into a
    # wheel and installed there for real.
    (site / "_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin/python",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            REPO_ROOT,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stderr

    help_ = subprocess.run(
        [venv / "bin/imgbuild", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    where = subprocess.run(
        [
            venv / "bin/python",
            "-c",
            "import builder, importlib.resources as r; print(builder.__file__); "
            "print(r.files('builder') / 'builtin_templates')",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    assert help_.returncode == 0, help_.stderr
    assert help_.stdout.startswith("Usage: imgbuild")
    assert Path(where[0]).is_relative_to(site), "imgbuild was not installed into the new venv"
    shipped, source = Path(where[1]), REPO_ROOT / "templates"
    source_files = sorted(
        p.relative_to(source)
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert source_files, "templates/ holds no template files to ship"
    assert sorted(p.relative_to(shipped) for p in shipped.rglob("*") if p.is_file()) == source_files
    _, mismatch, errors = filecmp.cmpfiles(
        source, shipped, [str(p) for p in source_files], shallow=False
    )
    assert (mismatch, errors) == ([], [])


def test_the_suite_collects_every_test_file() -> None:
    # pytest silently skips some folder names (build, dist, venv...) unless told otherwise.
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    files = {line.split("::", 1)[0] for line in collected.splitlines() if "::" in line}
    expected = {
        str(path.relative_to(REPO_ROOT)) for path in (REPO_ROOT / "tests").rglob("test_*.py")
    }

    assert expected, "no test files found"
    assert expected - files == set()
