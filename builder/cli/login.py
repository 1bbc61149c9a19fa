"""`imgbuild login` and `imgbuild logout`: registry credentials in the system keyring."""

from __future__ import annotations

import sys

import click

from builder.cli.options import options
from builder.errors import CredentialsError, UsageError


@click.command()
@click.argument("registry", required=False)
@options("username", "password_stdin", "login.status")
def login(registry: str | None, username: str | None, password_stdin: bool, status: bool) -> int:
    """Check credentials against REGISTRY, then store them in the system keyring.

    Docker Hub is `docker.io`; others are HOST[:PORT]. Lookup order when pushing:
    DOCKER_AUTH_CONFIG, then the keyring, then Docker's config.json ($DOCKER_CONFIG).
    """
    if status:
        return _status(registry)
    if registry is None:
        raise UsageError(
            "login needs a REGISTRY",
            hint="imgbuild login HOST[:PORT] -u USER --password-stdin, or imgbuild login --status",
        )
    if not username or not password_stdin:
        raise UsageError(
            "login needs --username and --password-stdin",
            hint=f'echo "$TOKEN" | imgbuild login {registry} -u USER --password-stdin',
        )
    from builder.credentials import (
        Credentials,
        CredentialSource,
        KeyringUnavailable,
        keyring_problem,
        keyring_store,
        registry_key,
    )
    from builder.registry import RegistryClient

    secret = sys.stdin.read().rstrip("\r\n")
    if not secret:
        raise UsageError("no password on standard input", hint="pipe the password or token in")
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
    click.echo(f"Login to {key} as {username} succeeded; stored in the system keyring.")
    return 0


def _status(registry: str | None) -> int:
    from builder.credentials import (
        configured_registries,
        find_credentials,
        keyring_backend_name,
        registry_key,
    )

    keys = [registry_key(registry)] if registry else configured_registries()
    click.echo(f"keyring: {keyring_backend_name()}")
    if not keys:
        click.echo(
            "no registry credentials in DOCKER_AUTH_CONFIG, the keyring or Docker's config.json"
        )
        return 0
    rows = [("REGISTRY", "USER", "SOURCE")]
    notes: dict[str, None] = {}
    for key in keys:
        lookup = find_credentials(key)
        notes.update(dict.fromkeys(lookup.notes))
        found = lookup.credentials
        rows.append((key, found.username, found.origin) if found else (key, "-", "none"))
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    for row in rows:
        click.echo(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}")
    for note in notes:
        click.echo(f"note: {note}")
    return 0


@click.command()
@click.argument("registry")
def logout(registry: str) -> int:
    """Remove REGISTRY's credentials from the system keyring."""
    from builder.credentials import KeyringUnavailable, keyring_erase, registry_key

    key = registry_key(registry)
    try:
        removed = keyring_erase(key)
    except KeyringUnavailable as error:
        raise CredentialsError(f"cannot remove credentials: {error}") from None
    if removed:
        click.echo(f"Removed the credentials for {key} from the system keyring.")
    else:
        click.echo(f"No credentials for {key} in the system keyring; nothing to remove.")
    return 0
