"""The flows under `imgbuild login` and `logout`: check, store, remove, report. Prints nothing.

Credentials are written to the keyring only after the registry accepted them (as hatch does),
so a typo never replaces working credentials.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.credentials import (
    Credentials,
    CredentialSource,
    KeyringUnavailable,
    configured_registries,
    find_credentials,
    keyring_backend_name,
    keyring_erase,
    keyring_problem,
    keyring_store,
    registry_key,
)
from builder.errors import CredentialsError


@dataclass(frozen=True)
class StatusRow:
    registry: str
    username: str | None  # None: no credentials anywhere
    origin: str  # where they come from ("none" when there are none); never the secret


@dataclass(frozen=True)
class LoginStatus:
    backend: str  # the keyring backend in use, or why there is none
    rows: tuple[StatusRow, ...]
    notes: tuple[str, ...]  # sources skipped and why, each once


def login(registry: str, username: str, secret: str) -> str:
    """Check the credentials against the registry, then store them; the registry's key."""
    from builder.registry import RegistryClient

    problem = keyring_problem()
    if problem is not None:
        raise CredentialsError(f"cannot store credentials: {problem}")
    key = registry_key(registry)
    candidate = Credentials(key, username, secret, CredentialSource.KEYRING, "imgbuild login")
    with RegistryClient(key, candidate) as client:
        client.check_login()
    try:
        keyring_store(key, username, secret)
    except KeyringUnavailable as error:
        raise CredentialsError(f"the login worked but storing it failed: {error}") from None
    return key


def logout(registry: str) -> tuple[str, bool]:
    """Remove the registry's credentials from the keyring: its key, and whether there were any."""
    key = registry_key(registry)
    try:
        return key, keyring_erase(key)
    except KeyringUnavailable as error:
        raise CredentialsError(f"cannot remove credentials: {error}") from None


def login_status(registry: str | None = None) -> LoginStatus:
    """Per registry (the one given, else every one configured), where its credentials are."""
    keys = [registry_key(registry)] if registry else configured_registries()
    rows: list[StatusRow] = []
    notes: dict[str, None] = {}
    for key in keys:
        lookup = find_credentials(key)
        notes.update(dict.fromkeys(lookup.notes))
        found = lookup.credentials
        rows.append(
            StatusRow(key, found.username, found.origin) if found else StatusRow(key, None, "none")
        )
    return LoginStatus(keyring_backend_name(), tuple(rows), tuple(notes))
