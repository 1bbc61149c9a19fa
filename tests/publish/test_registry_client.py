"""The registry client's protocol paths a local docker-registry cannot show: the Bearer token
flow, retries on 5xx and refused connections, and 401/403 never retried. A small HTTP server on
127.0.0.1 plays the registry and its token server; the htpasswd (Basic) path is tested against
the real registry in test_login.py and test_publish.py."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from builder.credentials import Credentials, CredentialSource, Lookup
from builder.registry import (
    Manifest,
    RegistryAuthError,
    RegistryClient,
    RegistryUnavailable,
)
from builder.retry import RetryPolicy
from tests.fakeregistry import QuietHandler, running

MANIFEST = json.dumps({"schemaVersion": 2, "config": {"digest": "sha256:" + "c" * 64}}).encode()
MEDIA = "application/vnd.docker.distribution.manifest.v2+json"
FAST = RetryPolicy(attempts=3, backoff=0.01, timeout=5)


class Fake:
    """What the fake registry does; `log` records (method, path, authorization) per request."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, str]] = []
        self.fail_next: list[int] = []  # statuses to answer before behaving
        self.status_for_manifests: int | None = None
        self.port = 0
        self.stored: dict[str, bytes] = {}

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(QuietHandler):
            def handle_any(self) -> None:
                auth = self.headers.get("Authorization", "")
                fake.log.append((self.command, self.path, auth))
                if fake.fail_next:
                    self.reply(fake.fail_next.pop(0))
                    return
                if self.path.startswith("/token"):
                    expected = "Basic " + base64.b64encode(b"dave:right").decode()
                    if auth != expected:
                        self.reply(401)
                        return
                    scope = self.path.partition("scope=")[2].split("&")[0]
                    self.reply(200, body=json.dumps({"token": f"tok-{scope}"}).encode())
                    return
                if not auth.startswith("Bearer tok-"):
                    realm = f"http://127.0.0.1:{fake.port}/token"
                    self.reply(
                        401, headers={"WWW-Authenticate": f'Bearer realm="{realm}",service="fake"'}
                    )
                    return
                if fake.status_for_manifests is not None and "/manifests/" in self.path:
                    self.reply(fake.status_for_manifests)
                    return
                if self.command == "PUT":
                    length = int(self.headers.get("Content-Length", "0"))
                    fake.stored[self.path] = self.rfile.read(length)
                    self.reply(201, headers={"Docker-Content-Digest": "sha256:" + "d" * 64})
                    return
                if self.path.endswith("/manifests/missing"):
                    self.reply(404)
                    return
                self.reply(
                    200,
                    {"Content-Type": MEDIA, "Docker-Content-Digest": "sha256:" + "d" * 64},
                    MANIFEST,
                )

            do_GET = do_HEAD = do_PUT = handle_any

        return Handler


@pytest.fixture
def fake() -> Iterator[Fake]:
    with running(Fake()) as state:
        yield state


def creds(password: str) -> Credentials:
    return Credentials("x", "dave", password, CredentialSource.ENV, "DOCKER_AUTH_CONFIG (auths)")


def test_bearer_flow_fetches_a_token_per_scope_and_reuses_it(fake: Fake) -> None:
    with RegistryClient(f"127.0.0.1:{fake.port}", creds("right"), FAST) as client:
        client.check_login()
        manifest = client.get_manifest("team/api", "1.0.0")
        assert manifest is not None and manifest.config_digest == "sha256:" + "c" * 64
        assert client.get_manifest("team/api", "latest") is not None
        assert client.get_manifest("team/api", "missing") is None
        digest = client.put_manifest("team/api", "stable", Manifest("sha256:x", MEDIA, MANIFEST))
    assert digest == "sha256:" + "d" * 64
    assert fake.stored == {"/v2/team/api/manifests/stable": MANIFEST}
    token_requests = [path for method, path, _ in fake.log if path.startswith("/token")]
    # one for the login check, one per scope: pull, then pull,push
    assert len(token_requests) == 3
    assert "scope=repository%3Ateam%2Fapi%3Apull&" in token_requests[1] + "&"


def test_wrong_password_at_the_token_server_fails_at_once(fake: Fake) -> None:
    started = time.monotonic()
    with (
        RegistryClient(f"127.0.0.1:{fake.port}", creds("Wr0ng-pa55"), FAST) as client,
        pytest.raises(RegistryAuthError) as caught,
    ):
        client.check_login()
    assert time.monotonic() - started < 2
    assert len(fake.log) == 2  # the challenge, one refused token request: no retry
    message = str(caught.value)
    assert "refused the credentials of user 'dave' from DOCKER_AUTH_CONFIG (auths)" in message
    assert "Wr0ng-pa55" not in message


def test_transient_5xx_is_retried_with_backoff(fake: Fake) -> None:
    fake.fail_next = [503, 502]
    with RegistryClient(f"127.0.0.1:{fake.port}", creds("right"), FAST) as client:
        client.check_login()
    assert [path for _, path, _ in fake.log][:3] == ["/v2/", "/v2/", "/v2/"]


def test_5xx_that_persists_gives_up_after_the_attempts(fake: Fake) -> None:
    fake.fail_next = [500] * 10
    with (
        RegistryClient(f"127.0.0.1:{fake.port}", creds("right"), FAST) as client,
        pytest.raises(RegistryUnavailable, match="failed GET after 3 attempts: HTTP 500"),
    ):
        client.check_login()
    assert len(fake.log) == 3


def test_403_is_never_retried(fake: Fake) -> None:
    fake.status_for_manifests = 403
    with (
        RegistryClient(f"127.0.0.1:{fake.port}", creds("right"), FAST) as client,
        pytest.raises(RegistryAuthError, match="HTTP 403"),
    ):
        client.get_manifest("team/api", "1.0.0")
    assert sum(1 for _, path, _ in fake.log if "/manifests/" in path) == 2  # challenge + one


@pytest.mark.parametrize("status", [404, 400, 405])
def test_a_registry_without_the_referrers_api_is_told_apart(fake: Fake, status: int) -> None:
    fake.fail_next = [status]  # answered before any challenge, as to an unknown route
    with RegistryClient(f"127.0.0.1:{fake.port}", creds("right"), FAST) as client:
        assert client.list_referrers("team/api", "sha256:" + "a" * 64) is None
        # A 200 that is not an image index (a catch-all page) is no referrers API either.
        assert client.list_referrers("team/api", "sha256:" + "a" * 64) is None
    assert fake.log[0][1] == "/v2/team/api/referrers/sha256:" + "a" * 64


def test_connection_refused_is_retried_then_reported() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with (
        RegistryClient(f"127.0.0.1:{port}", None, FAST) as client,
        pytest.raises(RegistryUnavailable) as caught,
    ):
        client.check_login()
    assert time.monotonic() - started < 3
    assert f"registry 127.0.0.1:{port} failed GET after 3 attempts: ConnectionError" in str(
        caught.value
    )
    assert caught.value.hint == (
        "check that the registry is up; a re-run pushes only what is missing"
    )


def test_credentials_are_looked_up_only_when_the_registry_challenges(
    fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    lookups: list[str] = []

    def look_up(key: str) -> Lookup:
        lookups.append(key)
        return Lookup(creds("right"))

    monkeypatch.setattr("builder.registry.find_credentials", look_up)
    with RegistryClient.for_registry(f"127.0.0.1:{fake.port}", FAST) as client:
        assert lookups == []  # made, nothing asked yet
        client.check_login()
        assert client.get_manifest("team/api", "1.0.0") is not None
        assert client.get_manifest("team/api", "latest") is not None
    assert lookups == [f"127.0.0.1:{fake.port}"]  # once, at the first challenge


def test_an_open_registry_never_has_its_credentials_looked_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.fakeregistry import FakeRegistry

    def look_up(key: str) -> Lookup:
        raise AssertionError(f"credentials of {key} looked up")

    monkeypatch.setattr("builder.registry.find_credentials", look_up)
    with running(FakeRegistry()) as registry:
        with RegistryClient.for_registry(f"127.0.0.1:{registry.port}", FAST) as client:
            client.check_login()
            assert client.get_manifest("team/api", "1.0.0") is None
        assert registry.count("GET", "/manifests/1.0.0") == 1
