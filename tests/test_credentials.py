"""Credential sources: DOCKER_AUTH_CONFIG, a (fake) keyring, Docker's config.json, helpers.

The real keyring is exercised in tests/publish/test_login.py; here an in-memory backend stands
in for it, so the lookup order is checked by the unit-only run too.
"""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from builder.credentials import (
    HUB_KEY,
    Credentials,
    CredentialSource,
    configured_registries,
    find_credentials,
    keyring_problem,
    keyring_store,
    registry_key,
)
from builder.errors import UsageError
from builder.refs import split_registry


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A machine without any keyring backend, like a CI runner."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # keyring's backends are unannotated
    try:
        yield
    finally:
        keyring.set_keyring(previous)


class MemoryKeyring(KeyringBackend):
    """A keyring backend in a dict: what a Secret Service would hold, without D-Bus."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring has no annotations here
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.entries[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def auth(user: str, secret: str) -> str:
    return base64.b64encode(f"{user}:{secret}".encode()).decode()


def env_with(tmp_path: Path, **values: str) -> dict[str, str]:
    """An environment whose Docker config folder is empty unless a test writes one."""
    return {"HOME": str(tmp_path), "DOCKER_CONFIG": str(tmp_path / "docker"), **values}


# ---------------------------------------------------------------------------------------------
# Docker Hub normalisation


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("docker.io", HUB_KEY),
        ("https://index.docker.io/v1/", HUB_KEY),
        ("index.docker.io", HUB_KEY),
        ("registry-1.docker.io", HUB_KEY),
        ("127.0.0.1:5000", "127.0.0.1:5000"),
        ("http://127.0.0.1:5000/v2/", "127.0.0.1:5000"),
        ("Registry.Example.Test", "registry.example.test"),
    ],
)
def test_registry_key_normalises_as_docker_does(address: str, key: str) -> None:
    assert registry_key(address) == key


@pytest.mark.parametrize(
    ("repository", "split"),
    [
        ("busybox", ("docker.io", "library/busybox")),
        ("acme/shop/api", ("docker.io", "acme/shop/api")),
        ("docker.io/acme/api", ("docker.io", "acme/api")),
        ("index.docker.io/library/busybox", ("docker.io", "library/busybox")),
        ("localhost/api", ("localhost", "api")),
        ("127.0.0.1:5000/team/shop/api", ("127.0.0.1:5000", "team/shop/api")),
        ("registry.internal:5000/team/api", ("registry.internal:5000", "team/api")),
    ],
)
def test_docker_hub_reference_normalisation(repository: str, split: tuple[str, str]) -> None:
    assert split_registry(repository) == split


# ---------------------------------------------------------------------------------------------
# The record


def test_credentials_repr_never_shows_the_secret() -> None:
    found = Credentials(
        "127.0.0.1:5000", "alice", "hunter2-secret", CredentialSource.KEYRING, "system keyring"
    )
    assert "hunter2-secret" not in repr(found)
    assert "hunter2-secret" not in str(found)
    assert "alice" in repr(found)


# ---------------------------------------------------------------------------------------------
# DOCKER_AUTH_CONFIG and config.json, with no keyring at all


def test_docker_auth_config_without_keyring(tmp_path: Path, no_keyring: None) -> None:
    document = {"auths": {"127.0.0.1:5000": {"auth": auth("ci", "tok3n")}}}
    lookup = find_credentials(
        "127.0.0.1:5000", env_with(tmp_path, DOCKER_AUTH_CONFIG=json.dumps(document))
    )
    assert lookup.credentials is not None
    assert (lookup.credentials.username, lookup.credentials.secret) == ("ci", "tok3n")
    assert lookup.credentials.source is CredentialSource.ENV
    assert lookup.credentials.origin == "DOCKER_AUTH_CONFIG (auths)"


def test_no_keyring_is_a_note_not_a_crash(tmp_path: Path, no_keyring: None) -> None:
    lookup = find_credentials("127.0.0.1:5000", env_with(tmp_path))
    assert lookup.credentials is None
    assert len(lookup.notes) == 1
    assert "no system keyring backend" in lookup.notes[0]
    assert keyring_problem() is not None


def test_docker_config_json_in_docker_config_dir(tmp_path: Path, no_keyring: None) -> None:
    (tmp_path / "docker").mkdir()
    config = {
        "auths": {
            "https://index.docker.io/v1/": {"auth": auth("hubuser", "hubpass")},
            "http://127.0.0.1:5000": {"username": "bob", "password": "pw"},
            "registry.example.test": {"identitytoken": "refresh-token"},
        }
    }
    (tmp_path / "docker" / "config.json").write_text(json.dumps(config))
    env = env_with(tmp_path)
    hub = find_credentials("docker.io", env).credentials
    assert hub is not None and (hub.registry, hub.username, hub.secret) == (
        HUB_KEY,
        "hubuser",
        "hubpass",
    )
    assert hub.origin == f"{tmp_path / 'docker' / 'config.json'} (auths)"
    local = find_credentials("127.0.0.1:5000", env).credentials
    assert local is not None and (local.username, local.secret) == ("bob", "pw")
    token = find_credentials("registry.example.test", env).credentials
    assert token is not None and (token.username, token.secret) == ("<token>", "refresh-token")
    assert find_credentials("other.example.test", env).credentials is None
    assert configured_registries(env) == sorted(
        [HUB_KEY, "127.0.0.1:5000", "registry.example.test"]
    )


def test_env_wins_over_docker_config(tmp_path: Path, no_keyring: None) -> None:
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text(
        json.dumps({"auths": {"127.0.0.1:5000": {"auth": auth("file", "x")}}})
    )
    env = env_with(
        tmp_path,
        DOCKER_AUTH_CONFIG=json.dumps({"auths": {"127.0.0.1:5000": {"auth": auth("env", "y")}}}),
    )
    found = find_credentials("127.0.0.1:5000", env).credentials
    assert found is not None and found.username == "env"


def test_home_docker_config_when_docker_config_is_unset(tmp_path: Path, no_keyring: None) -> None:
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text(
        json.dumps({"auths": {"127.0.0.1:5000": {"auth": auth("home", "z")}}})
    )
    found = find_credentials("127.0.0.1:5000", {"HOME": str(tmp_path)}).credentials
    assert found is not None and found.username == "home"


def fake_helper(directory: Path, name: str, answers: dict[str, tuple[str, str]]) -> None:
    """A real executable speaking Docker's helper protocol (only `get`)."""
    table = json.dumps(
        {
            server: {"ServerURL": server, "Username": user, "Secret": secret}
            for server, (user, secret) in answers.items()
        }
    )
    script = directory / f"docker-credential-{name}"
    script.write_text(
        "#!/usr/bin/env python3\nimport json, sys\n"
        f"table = json.loads({table!r})\n"
        "server = sys.stdin.read().strip()\n"
        "if sys.argv[1] != 'get' or server not in table:\n"
        "    print('credentials not found in native keychain'); sys.exit(1)\n"
        "print(json.dumps(table[server]))\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_cred_helpers_then_creds_store(
    tmp_path: Path, no_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_helper(bin_dir, "special", {"127.0.0.1:5000": ("helped", "s1")})
    fake_helper(bin_dir, "store", {HUB_KEY: ("stored", "s2")})
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text(
        json.dumps(
            {
                "credHelpers": {"127.0.0.1:5000": "special", "gone.example.test": "missing"},
                "credsStore": "store",
                "auths": {"127.0.0.1:5000": {}, "https://index.docker.io/v1/": {}},
            }
        )
    )
    env = env_with(tmp_path)
    local = find_credentials("127.0.0.1:5000", env).credentials
    assert local is not None and (local.username, local.secret) == ("helped", "s1")
    assert local.origin.endswith("(credHelpers: special)")
    hub = find_credentials("docker.io", env).credentials
    assert hub is not None and (hub.username, hub.secret) == ("stored", "s2")
    assert hub.origin.endswith("(credsStore: store)")
    missing = find_credentials("gone.example.test", env)
    assert missing.credentials is None
    assert any("docker-credential-missing is not installed" in note for note in missing.notes)


def test_bad_docker_auth_config_never_quotes_the_value(tmp_path: Path, no_keyring: None) -> None:
    with pytest.raises(UsageError) as caught:
        find_credentials(
            "127.0.0.1:5000", env_with(tmp_path, DOCKER_AUTH_CONFIG='{"auths": {"x": "sup3rsecret"')
        )
    assert "sup3rsecret" not in str(caught.value)
    assert "DOCKER_AUTH_CONFIG is not valid JSON" in str(caught.value)


def test_lookup_order_env_then_keyring_then_docker_config(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    key = "127.0.0.1:5000"

    def config(user: str) -> str:
        return json.dumps({"auths": {key: {"auth": auth(user, "x")}}})

    env = env_with(tmp_path)
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "config.json").write_text(config("from-file"))
    found = find_credentials(key, env).credentials
    assert found is not None
    assert (found.source, found.username) == (CredentialSource.DOCKER_CONFIG, "from-file")

    keyring_store(key, "from-keyring", "y")
    assert memory_keyring.entries  # the store went to the fake backend, not a real keyring
    found = find_credentials(key, env).credentials
    assert found is not None
    assert (found.source, found.username, found.secret) == (
        CredentialSource.KEYRING,
        "from-keyring",
        "y",
    )

    env["DOCKER_AUTH_CONFIG"] = config("from-env")
    found = find_credentials(key, env).credentials
    assert found is not None
    assert (found.source, found.username) == (CredentialSource.ENV, "from-env")
