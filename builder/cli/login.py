"""`imgbuild login` and `imgbuild logout`: registry credentials in the system keyring."""

from __future__ import annotations

import sys

import click

from builder.cli.options import options
from builder.errors import UsageError


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
    from builder.login import login as check_and_store

    secret = sys.stdin.read().rstrip("\r\n")
    if not secret:
        raise UsageError("no password on standard input", hint="pipe the password or token in")
    key = check_and_store(registry, username, secret)
    click.echo(f"Login to {key} as {username} succeeded; stored in the system keyring.")
    return 0


def _status(registry: str | None) -> int:
    from builder.login import login_status
    from builder.text import align

    status = login_status(registry)
    click.echo(f"keyring: {status.backend}")
    if not status.rows:
        click.echo(
            "no registry credentials in DOCKER_AUTH_CONFIG, the keyring or Docker's config.json"
        )
        return 0
    rows = [("REGISTRY", "USER", "SOURCE")]
    rows += [(row.registry, row.username or "-", row.origin) for row in status.rows]
    for line in align(rows):
        click.echo(line)
    for note in status.notes:
        click.echo(f"note: {note}")
    return 0


@click.command()
@click.argument("registry")
def logout(registry: str) -> int:
    """Remove REGISTRY's credentials from the system keyring."""
    from builder.login import logout as remove

    key, removed = remove(registry)
    if removed:
        click.echo(f"Removed the credentials for {key} from the system keyring.")
    else:
        click.echo(f"No credentials for {key} in the system keyring; nothing to remove.")
    return 0
