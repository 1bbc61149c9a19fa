"""A registry's credentials as the engine takes them for a push or a pull.

The same lookup as `publish` (DOCKER_AUTH_CONFIG, the keyring, Docker's config.json, in that
order), for the engine's own transfers: the pool's transfer registry, the remote cache, bases.
"""

from __future__ import annotations

from builder.credentials import Credentials, find_credentials, registry_key
from builder.engine.operations import PushAuth
from builder.refs import names_registry, split_ref, split_registry


def engine_auth(registry: str) -> PushAuth | None:
    """The credentials found for `registry` (HOST[:PORT]), or None: the engine goes anonymous."""
    return push_auth(find_credentials(registry_key(registry)).credentials)


def push_auth(credentials: Credentials | None) -> PushAuth | None:
    """Credentials already found, as the engine takes them."""
    return PushAuth(credentials.username, credentials.secret) if credentials else None


def auth_for_ref(ref: str) -> PushAuth | None:
    """`engine_auth` of the registry `ref` names; None for Docker Hub refs, for which the
    engine's client reads Docker's config itself."""
    repository = split_ref(ref).repository
    if not names_registry(repository):
        return None
    return engine_auth(split_registry(repository)[0])
