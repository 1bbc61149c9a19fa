"""The registry as the build cache, for runners whose engine starts empty.

Every image built with a cache configured (`[cache] registry = "HOST[:PORT]/PREFIX"`, or the
image's own `cache`) is pushed to its entry, named by its input digest, and the moving ref
`newest` is pointed at it (names in `builder.cache_refs`). The input digest names the entry,
so a lookup is one manifest request: an entry there is the image those inputs make. Its
config digest is the engine's image ID, so a pulled entry keeps its ID and its dependents'
digests do not change. An entry whose config does not carry the expected input digest label
is ignored, with a warning.

Nothing here fails a build: a cache registry that is down, refuses the credentials or answers
nonsense is one warning, and the run goes on building as if no cache were configured.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from builder.builders import ContainerEngine
from builder.cache_refs import CacheEntry
from builder.credentials import registry_key
from builder.engine.operations import PushAuth
from builder.errors import ImgbuildError
from builder.records import INPUT_DIGEST_LABEL
from builder.refs import split_ref, split_registry
from builder.registry import RegistryClient
from builder.registry_auth import push_auth
from builder.retry import RetryPolicy

# A cache is worth a short wait, not a long one: a registry that does not answer quickly is
# reported and the run builds instead.
_CACHE_RETRY = RetryPolicy(attempts=2, backoff=0.2, timeout=15.0)


class RemoteCache:
    """One run's cache registries: clients and credentials per host, lookups and pushes.

    Thread-safe (image workers store their builds in parallel). A host that fails once is not
    asked again in the run: one warning, then builds as if it had no cache.
    """

    def __init__(self, on_warning: Callable[[str], None] = lambda _: None) -> None:
        self.on_warning = on_warning
        self._clients: dict[str, RegistryClient | None] = {}
        self._lock = threading.Lock()

    def client(self, ref: str) -> tuple[RegistryClient, str] | None:
        """The client of `ref`'s registry and `ref`'s repository path; None when unusable."""
        host, path = split_registry(split_ref(ref).repository)
        key = registry_key(host)
        with self._lock:
            if key in self._clients:
                known = self._clients[key]
                return (known, path) if known is not None else None
            client = RegistryClient.for_registry(key, _CACHE_RETRY)
            try:
                client.check_login()
            except ImgbuildError as error:
                self._give_up(key, client, error)
                return None
            self._clients[key] = client
            return client, path

    def auth(self, ref: str) -> PushAuth | None:
        key = registry_key(split_registry(split_ref(ref).repository)[0])
        with self._lock:
            client = self._clients.get(key)
        return push_auth(client.credentials) if client is not None else None

    def lookup(self, ref: str, digest: str) -> CacheEntry | None:
        """The entry at `ref` when it is the image built from `digest`; None on a miss."""
        found = self.client(ref)
        if found is None:
            return None
        client, path = found
        tag = split_ref(ref).tag_or_latest
        try:
            manifest = client.get_manifest(path, tag)
            if manifest is None or manifest.config_digest is None:
                return None
            config = client.get_blob(path, manifest.config_digest)
        except ImgbuildError as error:
            self._failed(ref, error)
            return None
        if _labelled_digest(config) != digest:
            self.on_warning(
                f"cache entry {ref} is not labelled with input digest {digest}; ignored "
                "(something else pushed it)"
            )
            return None
        return CacheEntry(ref, manifest.config_digest, manifest)

    def store(self, engine: ContainerEngine, image_id: str, ref: str, newest: str) -> bool:
        """Push `image_id` to `ref` unless it is there, then point `newest` at it; False when
        the cache could not take it (said as a warning)."""
        found = self.client(ref)
        if found is None:
            return False
        client, path = found
        parsed = split_ref(ref)
        try:
            present = client.get_manifest(path, parsed.tag_or_latest)
            if present is None:
                engine.tag(image_id, (ref,))
                try:
                    engine.push(parsed.repository, parsed.tag_or_latest, self.auth(ref))
                finally:
                    engine.untag(ref)
                present = client.get_manifest(path, parsed.tag_or_latest)
            if present is None:
                raise ImgbuildError(f"{ref} is not in the registry after the push")
            client.put_manifest(path, split_ref(newest).tag_or_latest, present)
        except ImgbuildError as error:
            self._failed(ref, error)
            return False
        return True

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                if client is not None:
                    client.close()

    def _failed(self, ref: str, error: ImgbuildError) -> None:
        key = registry_key(split_registry(split_ref(ref).repository)[0])
        with self._lock:
            client = self._clients.get(key)
            if client is None and key in self._clients:
                return  # said already
            self._give_up(key, client, error)

    def _give_up(self, key: str, client: RegistryClient | None, error: ImgbuildError) -> None:
        """Caller holds the lock."""
        self._clients[key] = None
        if client is not None:
            client.close()
        self.on_warning(f"the cache registry {key} is not usable ({error}); building without it")


def _labelled_digest(config: bytes | None) -> str | None:
    try:
        document = json.loads(config or b"")
        labels = (document.get("config") or {}).get("Labels") or {}
    except (ValueError, AttributeError):
        return None
    value = labels.get(INPUT_DIGEST_LABEL)
    return value if isinstance(value, str) else None
