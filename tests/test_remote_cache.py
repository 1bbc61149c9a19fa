"""The remote cache's lookups and pushes against a registry in memory: naming, hits, misses,
entries that are not what their name says, and a registry that is down (one warning)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.cache_refs import entry_ref, newest_ref
from builder.config.model import CacheSettings
from builder.engine.operations import PushAuth
from builder.errors import EngineError
from builder.platforms import Platform
from builder.records import INPUT_DIGEST_LABEL
from builder.remote_cache import RemoteCache
from tests.fakeregistry import FakeRegistry, running
from tests.fakes import FakeEngine

DIGEST = "sha256:" + "1" * 64
MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeRegistry]:
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))  # no credentials of the user's
    monkeypatch.delenv("DOCKER_AUTH_CONFIG", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    with running(FakeRegistry()) as fake:
        yield fake


def _put_entry(fake: FakeRegistry, repository: str, tag: str, labelled: str) -> str:
    """An image in the fake registry whose config carries `labelled`; its config digest."""
    config = json.dumps({"config": {"Labels": {INPUT_DIGEST_LABEL: labelled}}}).encode()
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    fake.blobs[(repository, config_digest)] = config
    body = json.dumps({"schemaVersion": 2, "config": {"digest": config_digest}}).encode()
    fake.manifests[(repository, tag)] = (MANIFEST_TYPE, body)
    return config_digest


def test_entries_are_named_by_input_digest_under_the_prefix() -> None:
    settings = CacheSettings("127.0.0.1:5000/cache")
    assert entry_ref(settings, "shop/api", DIGEST) == f"127.0.0.1:5000/cache/shop/api:in-{'1' * 64}"
    assert entry_ref(settings, "ghcr.io/acme/api", DIGEST).startswith(
        "127.0.0.1:5000/cache/acme/api:in-"
    )
    assert newest_ref(settings, "shop/api", None) == "127.0.0.1:5000/cache/shop/api:newest"
    arm = Platform("linux", "arm64")
    assert (
        newest_ref(settings, "shop/api", arm) == "127.0.0.1:5000/cache/shop/api:newest-linux-arm64"
    )


def test_a_hit_is_the_entry_labelled_with_the_digest(registry: FakeRegistry) -> None:
    config_digest = _put_entry(registry, "cache/shop/api", "in-" + "1" * 64, DIGEST)
    warnings: list[str] = []
    cache = RemoteCache(warnings.append)
    ref = entry_ref(CacheSettings(f"127.0.0.1:{registry.port}/cache"), "shop/api", DIGEST)
    entry = cache.lookup(ref, DIGEST)
    assert entry is not None and entry.image_id == config_digest
    assert (entry.registry, entry.repository) == (f"127.0.0.1:{registry.port}", "cache/shop/api")
    assert warnings == []


def test_a_miss_is_quiet(registry: FakeRegistry) -> None:
    warnings: list[str] = []
    ref = entry_ref(CacheSettings(f"127.0.0.1:{registry.port}/cache"), "shop/api", DIGEST)
    assert RemoteCache(warnings.append).lookup(ref, DIGEST) is None
    assert warnings == []


def test_an_entry_without_the_expected_label_is_ignored_with_a_warning(
    registry: FakeRegistry,
) -> None:
    _put_entry(registry, "cache/shop/api", "in-" + "1" * 64, "sha256:" + "2" * 64)
    warnings: list[str] = []
    ref = entry_ref(CacheSettings(f"127.0.0.1:{registry.port}/cache"), "shop/api", DIGEST)
    assert RemoteCache(warnings.append).lookup(ref, DIGEST) is None
    assert warnings == [
        f"cache entry {ref} is not labelled with input digest {DIGEST}; ignored "
        "(something else pushed it)"
    ]


def test_a_registry_that_is_down_is_one_warning_and_never_asked_again() -> None:
    with running(FakeRegistry()) as fake:
        port = fake.port
    warnings: list[str] = []
    cache = RemoteCache(warnings.append)
    ref = entry_ref(CacheSettings(f"127.0.0.1:{port}/cache"), "shop/api", DIGEST)
    assert cache.lookup(ref, DIGEST) is None
    assert cache.lookup(ref.replace("api", "web"), DIGEST) is None
    assert len(warnings) == 1
    assert warnings[0].startswith(f"the cache registry 127.0.0.1:{port} is not usable (")
    assert warnings[0].endswith("; building without it")


class _NoPush(FakeEngine):
    def push(
        self, repository: str, tag: str, auth: PushAuth | None, on_progress: object = None
    ) -> str:
        raise EngineError("pushed although the entry was there")


def test_an_entry_already_there_is_not_pushed_again_and_becomes_the_newest(
    registry: FakeRegistry,
) -> None:
    settings = CacheSettings(f"127.0.0.1:{registry.port}/cache")
    ref = entry_ref(settings, "shop/api", DIGEST)
    _put_entry(registry, "cache/shop/api", ref.rsplit(":", 1)[1], DIGEST)
    newest = newest_ref(settings, "shop/api", None)
    assert RemoteCache().store(_NoPush(), "sha256:" + "9" * 64, ref, newest)
    assert (
        registry.manifests[("cache/shop/api", "newest")]
        == registry.manifests[("cache/shop/api", "in-" + "1" * 64)]
    )
