"""`imgbuild login/logout`, the lookup order and the Docker credential helper, against a real
htpasswd registry and a real Secret Service keyring."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from realparts import unavailable

from builder.cli import run
from builder.credentials import CredentialSource, find_credentials, keyring_get, keyring_list

DEBIAN_DOCKER = "/usr/bin/docker"
HELPER = str(Path(sys.executable).parent / "docker-credential-imgbuild")


def imgbuild(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str]:
    """Run the CLI in-process; return the exit code and stdout+stderr."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_login_checks_then_stores_and_logout_removes(
    auth_registry: Any,
    real_keyring: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = auth_registry.address
    code, output = imgbuild(
        capsys,
        monkeypatch,
        "login",
        registry,
        "-u",
        auth_registry.username,
        "--password-stdin",
        stdin=auth_registry.password + "\n",
    )
    assert code == 0, output
    assert output == (
        f"Login to {registry} as {auth_registry.username} succeeded; stored in "
        "the system keyring.\n"
    )
    stored = keyring_get(registry)
    assert stored is not None
    assert (stored.username, stored.secret) == (auth_registry.username, auth_registry.password)

    code, output = imgbuild(capsys, monkeypatch, "login", "--status")
    assert code == 0
    assert f"{registry}  {auth_registry.username}  system keyring (imgbuild)" in output
    assert auth_registry.password not in output

    code, output = imgbuild(capsys, monkeypatch, "logout", registry)
    assert (code, output) == (
        0,
        f"Removed the credentials for {registry} from the system keyring.\n",
    )
    assert keyring_get(registry) is None
    assert registry not in keyring_list()


def test_wrong_password_fails_fast_prints_no_secret_and_stores_nothing(
    auth_registry: Any,
    real_keyring: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = "wrong-Secret-1234"
    started = time.monotonic()
    code, output = imgbuild(
        capsys,
        monkeypatch,
        "login",
        auth_registry.address,
        "-u",
        auth_registry.username,
        "--password-stdin",
        stdin=wrong,
    )
    assert time.monotonic() - started < 5  # 401 is never retried
    assert code == 1
    assert output.startswith(
        f"imgbuild: error: registry {auth_registry.address} refused the "
        f"credentials of user {auth_registry.username!r}"
    )
    assert "HTTP 401" in output
    assert wrong not in output
    assert keyring_get(auth_registry.address) is None


def test_login_without_a_keyring_says_what_to_use_instead(
    auth_registry: Any,
    no_keyring: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, output = imgbuild(
        capsys,
        monkeypatch,
        "login",
        auth_registry.address,
        "-u",
        auth_registry.username,
        "--password-stdin",
        stdin=auth_registry.password,
    )
    assert code == 1
    assert output == (
        "imgbuild: error: cannot store credentials: no system keyring backend on "
        "this machine (use DOCKER_AUTH_CONFIG or Docker's config.json here)\n"
    )

    code, output = imgbuild(capsys, monkeypatch, "login", "--status")
    assert code == 0
    assert output.startswith("keyring: no system keyring backend")


def test_lookup_order_env_then_keyring_then_docker_config(
    auth_registry: Any,
    real_keyring: Any,
    docker_config: Path,
    tmp_path: Path,
) -> None:
    key = auth_registry.address

    def basic(user: str) -> dict[str, Any]:
        return {"auths": {key: {"auth": base64.b64encode(f"{user}:x".encode()).decode()}}}

    (docker_config / "config.json").write_text(json.dumps(basic("from-file")))
    env = {"DOCKER_CONFIG": str(docker_config), "HOME": str(tmp_path)}
    found = find_credentials(key, env).credentials
    assert found is not None and found.source is CredentialSource.DOCKER_CONFIG

    from builder.credentials import keyring_store

    keyring_store(key, "from-keyring", "y")
    found = find_credentials(key, env).credentials
    assert found is not None and (found.source, found.username) == (
        CredentialSource.KEYRING,
        "from-keyring",
    )

    env["DOCKER_AUTH_CONFIG"] = json.dumps(basic("from-env"))
    found = find_credentials(key, env).credentials
    assert found is not None and (found.source, found.username) == (
        CredentialSource.ENV,
        "from-env",
    )


def helper(action: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HELPER, action], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_credential_helper_speaks_dockers_protocol(real_keyring: Any) -> None:
    server = "127.0.0.1:5999"
    stored = helper(
        "store", json.dumps({"ServerURL": server, "Username": "carol", "Secret": "helper-secret"})
    )
    assert (stored.returncode, stored.stdout) == (0, "")
    got = helper("get", server + "\n")
    assert got.returncode == 0
    assert json.loads(got.stdout) == {
        "ServerURL": server,
        "Username": "carol",
        "Secret": "helper-secret",
    }
    # The same entry imgbuild itself reads.
    found = keyring_get(server)
    assert found is not None and found.secret == "helper-secret"
    listed = helper("list", "")
    assert json.loads(listed.stdout) == {server: "carol"}
    assert helper("erase", server).returncode == 0
    missing = helper("get", server)
    assert (missing.returncode, missing.stdout) == (1, "credentials not found in native keychain\n")
    bad = helper("store", '{"ServerURL": "x", "Secret": "leak-me"')
    assert bad.returncode == 1 and "leak-me" not in bad.stdout + bad.stderr


@pytest.mark.engine
def test_docker_login_and_push_go_through_the_helper(
    auth_registry: Any,
    real_keyring: Any,
    docker_client: Any,
    busybox_image: str,
    docker_config: Path,
    unique_name: str,
) -> None:
    """Debian's docker CLI stores with our helper, imgbuild reads it, docker push uses it."""
    if not Path(DEBIAN_DOCKER).exists():
        unavailable(f"{DEBIAN_DOCKER} is not installed (apt docker.io)")
    (docker_config / "config.json").write_text(json.dumps({"credsStore": "imgbuild"}))
    env = {**os.environ, "PATH": f"{Path(HELPER).parent}{os.pathsep}{os.environ['PATH']}"}
    login = subprocess.run(
        [
            DEBIAN_DOCKER,
            "login",
            auth_registry.address,
            "-u",
            auth_registry.username,
            "--password-stdin",
        ],
        input=auth_registry.password,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert login.returncode == 0, login.stderr
    written = json.loads((docker_config / "config.json").read_text())
    assert "auth" not in written.get("auths", {}).get(auth_registry.address, {}), (
        "docker wrote the secret to config.json instead of using the helper"
    )
    found = find_credentials(auth_registry.address).credentials
    assert found is not None and found.source is CredentialSource.KEYRING
    assert found.secret == auth_registry.password

    ref = f"{auth_registry.address}/{unique_name}/helper:1"
    docker_client.images.get(busybox_image).tag(ref)
    push = subprocess.run(
        [DEBIAN_DOCKER, "push", ref],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert push.returncode == 0, push.stdout + push.stderr
    assert auth_registry.digest(f"{unique_name}/helper", "1") is not None

    logout = subprocess.run(
        [DEBIAN_DOCKER, "logout", auth_registry.address],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert logout.returncode == 0, logout.stderr
    assert keyring_get(auth_registry.address) is None
