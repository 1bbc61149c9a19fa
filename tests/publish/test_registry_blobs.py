"""The registry client's blob operations against a small fake registry on 127.0.0.1: HEAD,
cross-repository mounts (and their fallback), streamed uploads and their retries, the Bearer
scope of a mount. The real registry is in tests/oci/test_push_real.py."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.credentials import Credentials, CredentialSource
from builder.errors import RegistryError
from builder.registry import RegistryClient, RegistryUnavailable
from builder.retry import RetryPolicy
from tests.fakeregistry import FakeRegistry, running

FAST = RetryPolicy(attempts=3, backoff=0.01, timeout=5)


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with running(FakeRegistry()) as state:
        yield state


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def test_a_file_is_uploaded_streamed_with_its_progress(fake: FakeRegistry, tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 5)
    (tmp_path / "blob").write_bytes(data)
    sent: list[int] = []
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        assert not client.has_blob("team/api", digest_of(data))
        client.upload_blob("team/api", digest_of(data), len(data), tmp_path / "blob", sent.append)
        assert client.has_blob("team/api", digest_of(data))
    assert fake.blobs[("team/api", digest_of(data))] == data
    assert sent == [1 << 20, 2 << 20, 3 << 20, len(data)]  # read a chunk at a time


def test_a_dropped_upload_restarts_from_the_start_of_the_file(
    fake: FakeRegistry, tmp_path: Path
) -> None:
    data = os.urandom(1 << 20)
    (tmp_path / "blob").write_bytes(data)
    fake.break_puts = 1
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        client.upload_blob("team/api", digest_of(data), len(data), tmp_path / "blob")
    assert fake.blobs[("team/api", digest_of(data))] == data
    # A new upload each time: the one the dropped PUT belonged to is not reused.
    assert [method for method, _ in fake.log] == ["POST", "PUT", "POST", "PUT"]
    assert fake.log[1][1].split("?")[0] != fake.log[3][1].split("?")[0]


def test_a_retried_upload_calls_its_source_again(fake: FakeRegistry) -> None:
    data = os.urandom(200_000)
    opened: list[int] = []

    def chunks() -> Iterator[bytes]:
        opened.append(1)
        yield data[:100_000]
        yield data[100_000:]

    fake.break_puts = 2
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        client.upload_blob("team/api", digest_of(data), len(data), chunks)
    assert len(opened) == 3
    assert fake.blobs[("team/api", digest_of(data))] == data


def test_an_upload_dropped_every_time_gives_up_after_the_attempts(
    fake: FakeRegistry, tmp_path: Path
) -> None:
    (tmp_path / "blob").write_bytes(b"x" * 100_000)
    fake.break_puts = 10
    with (
        RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client,
        pytest.raises(RegistryUnavailable, match="failed PUT after 3 attempts: ConnectionError"),
    ):
        client.upload_blob("team/api", digest_of(b"x" * 100_000), 100_000, tmp_path / "blob")
    assert [method for method, _ in fake.log].count("POST") == 3


def test_a_wrong_digest_is_refused_not_retried(fake: FakeRegistry) -> None:
    with (
        RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client,
        pytest.raises(RegistryError, match=r"answered HTTP 400 when uploading blob sha256:0+ to"),
    ):
        client.upload_blob("team/api", "sha256:" + "0" * 64, 3, lambda: (b"abc",))
    assert [method for method, _ in fake.log] == ["POST", "PUT"]


def test_a_blob_of_another_repository_is_mounted(fake: FakeRegistry) -> None:
    fake.blobs[("team/base", digest_of(b"layer"))] = b"layer"
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        assert client.mount_blob("team/api", digest_of(b"layer"), "team/base")
    assert fake.blobs[("team/api", digest_of(b"layer"))] == b"layer"
    assert fake.log == [
        ("POST", f"/v2/team/api/blobs/uploads/?mount={digest_of(b'layer')}&from=team/base")
    ]


def test_a_mount_the_registry_declines_cancels_the_upload_it_started(
    fake: FakeRegistry,
) -> None:
    fake.blobs[("team/base", digest_of(b"layer"))] = b"layer"
    fake.refuse_mounts = True
    with RegistryClient(f"127.0.0.1:{fake.port}", None, FAST) as client:
        assert not client.mount_blob("team/api", digest_of(b"layer"), "team/base")
        assert not client.mount_blob("team/api", digest_of(b"other"), "team/base")
    assert ("team/api", digest_of(b"layer")) not in fake.blobs
    assert fake.uploads == {}  # both uploads the registry started were deleted
    assert [method for method, _ in fake.log] == ["POST", "DELETE", "POST", "DELETE"]


def test_a_mount_asks_for_a_token_that_may_also_pull_the_source(fake: FakeRegistry) -> None:
    fake.bearer = True
    fake.blobs[("team/base", digest_of(b"layer"))] = b"layer"
    credentials = Credentials("x", "dave", "pw", CredentialSource.ENV, "DOCKER_AUTH_CONFIG")
    with RegistryClient(f"127.0.0.1:{fake.port}", credentials, FAST) as client:
        assert client.mount_blob("team/api", digest_of(b"layer"), "team/base")
        assert client.put_blob("team/api", b"config") == digest_of(b"config")
    assert fake.scopes == [
        ["repository:team/api:pull,push", "repository:team/base:pull"],
        ["repository:team/api:pull"],  # the HEAD of put_blob
        ["repository:team/api:pull,push"],
    ]
    assert fake.blobs[("team/api", digest_of(b"config"))] == b"config"
