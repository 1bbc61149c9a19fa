"""Registry credentials: where they come from, and the keyring entries imgbuild owns.

Lookup order, first hit wins:
1. `DOCKER_AUTH_CONFIG`: Docker's config JSON in an environment variable (CI runners).
2. The system keyring (what `imgbuild login` writes, and `docker-credential-imgbuild` serves).
3. Docker's `config.json` in `$DOCKER_CONFIG` or `~/.docker`: `credHelpers` for the registry,
   else `credsStore`, else the `auths` entry.

A machine without a keyring backend (a CI runner) simply skips step 2 and says so in `notes`;
nothing here crashes for want of a keyring. This is the only module that imports `keyring`.
Docker Hub is keyed as Docker keys it, `https://index.docker.io/v1/`; every other registry by
its `host[:port]`. A secret never reaches a repr, a message or a log line.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from builder.errors import CredentialsError, UsageError
from builder.refs import DOCKER_HUB

HUB_KEY = "https://index.docker.io/v1/"
KEYRING_SERVICE = "imgbuild"
_INDEX_ENTRY = "__registries__"  # the keyring cannot be enumerated portably: keep a list of keys
_HUB_HOSTS = {DOCKER_HUB, "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
_OWN_HELPER = "imgbuild"  # our own credential helper reads the keyring: never call it from here


class CredentialSource(Enum):
    ENV = "DOCKER_AUTH_CONFIG"
    KEYRING = "keyring"
    DOCKER_CONFIG = "docker config"


@dataclass(frozen=True)
class Credentials:
    registry: str  # the registry key: host[:port], or HUB_KEY
    username: str
    secret: str = field(repr=False)
    source: CredentialSource
    origin: str  # where exactly: "DOCKER_AUTH_CONFIG", "/root/.docker/config.json (auths)"


@dataclass(frozen=True)
class Lookup:
    credentials: Credentials | None
    notes: tuple[str, ...] = ()  # sources skipped and why ("no keyring backend: ...")


def registry_key(registry: str) -> str:
    """`https://Host:5000/v2/` -> `host:5000`; any Docker Hub spelling -> HUB_KEY."""
    text = registry.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    host = text.split("/", 1)[0].lower()
    if not host:
        raise UsageError(f"{registry!r} is not a registry address", hint="write it as HOST[:PORT]")
    return HUB_KEY if host in _HUB_HOSTS else host


def registry_host(key: str) -> str:
    """The host[:port] to reach for a registry key (Docker Hub's API lives on registry-1)."""
    return "registry-1.docker.io" if key == HUB_KEY else key


# ---------------------------------------------------------------------------------------------
# The lookup


def find_credentials(registry: str, environ: Mapping[str, str] | None = None) -> Lookup:
    """The credentials for `registry` from the first source that has them."""
    env = os.environ if environ is None else environ
    key = registry_key(registry)
    notes: list[str] = []
    raw_env = env.get("DOCKER_AUTH_CONFIG")
    if raw_env:
        found = _from_config(
            _parse_env_config(raw_env), key, CredentialSource.ENV, "DOCKER_AUTH_CONFIG", notes
        )
        if found is not None:
            return Lookup(found, tuple(notes))
    try:
        found = keyring_get(key)
    except KeyringUnavailable as error:
        notes.append(f"keyring skipped: {error}")
    else:
        if found is not None:
            return Lookup(found, tuple(notes))
    path = docker_config_path(env)
    document = read_docker_config(path)
    if document is not None:
        found = _from_config(document, key, CredentialSource.DOCKER_CONFIG, str(path), notes)
        if found is not None:
            return Lookup(found, tuple(notes))
    return Lookup(None, tuple(notes))


def docker_config_path(environ: Mapping[str, str]) -> Path:
    directory = environ.get("DOCKER_CONFIG")
    base = Path(directory) if directory else Path(environ.get("HOME", "~")).expanduser() / ".docker"
    return base / "config.json"


def _parse_env_config(raw: str) -> dict[str, Any]:
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        # The value holds secrets: name the position, never quote the text.
        raise UsageError(
            f"DOCKER_AUTH_CONFIG is not valid JSON (line {error.lineno}, column {error.colno})",
            hint='set it to Docker\'s config JSON: {"auths": {"HOST": {"auth": "BASE64"}}}',
        ) from None
    if not isinstance(document, dict):
        raise UsageError('DOCKER_AUTH_CONFIG must be a JSON object with an "auths" table')
    return document


def basic_token(username: str, secret: str) -> str:
    """base64 of USER:SECRET: Docker's `auth` entry, and HTTP Basic auth after "Basic "."""
    return base64.b64encode(f"{username}:{secret}".encode()).decode("ascii")


def read_docker_config(path: Path) -> dict[str, Any] | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, json.JSONDecodeError) as error:
        raise UsageError(
            f"cannot read Docker's config: {error}", path=path, hint="fix or remove the file"
        ) from None
    return document if isinstance(document, dict) else None


def _from_config(
    document: Mapping[str, Any],
    key: str,
    source: CredentialSource,
    where: str,
    notes: list[str],
) -> Credentials | None:
    helpers = document.get("credHelpers") or {}
    helper = _match(helpers, key) if isinstance(helpers, dict) else None
    store = document.get("credsStore")
    for name, kind in ((helper, "credHelpers"), (store, "credsStore")):
        if isinstance(name, str) and name and name != _OWN_HELPER:
            found = _from_helper(name, key, source, f"{where} ({kind}: {name})", notes)
            if found is not None:
                return found
    auths = document.get("auths") or {}
    entry = _match(auths, key) if isinstance(auths, dict) else None
    if isinstance(entry, dict):
        return _from_auth_entry(entry, key, source, f"{where} (auths)")
    return None


def _match(table: Mapping[str, Any], key: str) -> Any:
    """The entry of `table` for `key`, however the file spells the address."""
    for address, value in table.items():
        try:
            if registry_key(address) == key:
                return value
        except UsageError:
            continue
    return None


def _from_auth_entry(
    entry: Mapping[str, Any], key: str, source: CredentialSource, origin: str
) -> Credentials | None:
    username, secret = entry.get("username"), entry.get("password")
    if isinstance(entry.get("auth"), str) and entry["auth"]:
        try:
            decoded = base64.b64decode(entry["auth"], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise CredentialsError(
                f"the auth entry for {key} is not base64 of USER:PASSWORD", path=origin
            ) from None
        username, _, secret = decoded.partition(":")
    if isinstance(entry.get("identitytoken"), str) and entry["identitytoken"]:
        username, secret = "<token>", entry["identitytoken"]
    if not isinstance(username, str) or not isinstance(secret, str) or not secret:
        return None
    return Credentials(key, username, secret, source, origin)


def _from_helper(
    helper: str, key: str, source: CredentialSource, origin: str, notes: list[str]
) -> Credentials | None:
    program = shutil.which(f"docker-credential-{helper}")
    if program is None:
        notes.append(f"{origin}: docker-credential-{helper} is not installed")
        return None
    try:
        completed = subprocess.run(
            [program, "get"],
            input=key,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        notes.append(f"{origin}: {type(error).__name__}")
        return None
    if completed.returncode != 0:
        return None  # "credentials not found in native keychain"
    try:
        answer = json.loads(completed.stdout)
        return Credentials(key, str(answer["Username"]), str(answer["Secret"]), source, origin)
    except (json.JSONDecodeError, KeyError, TypeError):
        notes.append(f"{origin}: the helper's answer is not Docker's credential JSON")
        return None


def configured_registries(environ: Mapping[str, str] | None = None) -> list[str]:
    """Every registry key any source knows, for `login --status`."""
    env = os.environ if environ is None else environ
    keys: set[str] = set()
    documents = []
    if env.get("DOCKER_AUTH_CONFIG"):
        documents.append(_parse_env_config(env["DOCKER_AUTH_CONFIG"]))
    document = read_docker_config(docker_config_path(env))
    if document is not None:
        documents.append(document)
    for doc in documents:
        for table in ("auths", "credHelpers"):
            section = doc.get(table) or {}
            if isinstance(section, dict):
                keys.update(_safe_key(address) for address in section)
    with contextlib.suppress(KeyringUnavailable):
        keys.update(keyring_list())
    keys.discard("")
    return sorted(keys)


def _safe_key(address: str) -> str:
    try:
        return registry_key(address)
    except UsageError:
        return ""


# ---------------------------------------------------------------------------------------------
# The keyring


class KeyringUnavailable(Exception):
    """No usable keyring backend, or the backend failed; the message says which."""


def _keyring() -> Any:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError as error:  # pragma: no cover - keyring is a required dependency
        raise KeyringUnavailable(f"the keyring package cannot be imported: {error}") from None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailable(
            "no system keyring backend on this machine (use DOCKER_AUTH_CONFIG or Docker's "
            "config.json here)"
        )
    return keyring


def keyring_problem() -> str | None:
    """Why the keyring cannot be used here; None when a backend is there."""
    try:
        _keyring()
    except KeyringUnavailable as error:
        return str(error)
    return None


def keyring_backend_name() -> str:
    """The backend in use, or why there is none."""
    try:
        backend = _keyring().get_keyring()
    except KeyringUnavailable as error:
        return str(error)
    return f"{type(backend).__module__}.{type(backend).__name__}"


def _call(operation: str, *args: str) -> Any:
    keyring = _keyring()
    try:
        return getattr(keyring, operation)(*args)
    except Exception as error:  # any backend failure: locked, no D-Bus, denied
        raise KeyringUnavailable(f"the keyring failed: {type(error).__name__}: {error}") from None


def keyring_get(registry: str) -> Credentials | None:
    key = registry_key(registry)
    raw = _call("get_password", KEYRING_SERVICE, key)
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
        return Credentials(
            key,
            str(entry["Username"]),
            str(entry["Secret"]),
            CredentialSource.KEYRING,
            f"system keyring ({KEYRING_SERVICE})",
        )
    except (json.JSONDecodeError, KeyError, TypeError):
        raise KeyringUnavailable(
            f"the keyring entry {KEYRING_SERVICE}/{key} is not imgbuild's format"
        ) from None


def keyring_store(registry: str, username: str, secret: str) -> None:
    key = registry_key(registry)
    _call(
        "set_password", KEYRING_SERVICE, key, json.dumps({"Username": username, "Secret": secret})
    )
    keys = set(keyring_list())
    if key not in keys:
        _call("set_password", KEYRING_SERVICE, _INDEX_ENTRY, json.dumps(sorted(keys | {key})))


def keyring_erase(registry: str) -> bool:
    """Remove the registry's entry; False when there was none."""
    key = registry_key(registry)
    existed = _call("get_password", KEYRING_SERVICE, key) is not None
    if existed:
        _call("delete_password", KEYRING_SERVICE, key)
    keys = set(keyring_list())
    if key in keys:
        _call("set_password", KEYRING_SERVICE, _INDEX_ENTRY, json.dumps(sorted(keys - {key})))
    return existed


def keyring_list() -> list[str]:
    """The registry keys imgbuild has stored in the keyring."""
    raw = _call("get_password", KEYRING_SERVICE, _INDEX_ENTRY)
    if not raw:
        return []
    try:
        keys = json.loads(raw)
    except json.JSONDecodeError:
        return []
    return [key for key in keys if isinstance(key, str)] if isinstance(keys, list) else []


SIGNING_KEY_SERVICE = "imgbuild-sign"


def keyring_signing_key(name: str) -> str | None:
    """The PEM text stored as `imgbuild-sign`/NAME in the keyring (`--sign-key keyring:NAME`)."""
    value = _call("get_password", SIGNING_KEY_SERVICE, name)
    return str(value) if value is not None else None
