"""`Engine` operations that need no engine: push (its auth and failures) over a stand-in client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from builder.engine.operations import Engine, PushAuth, PushFailed
from builder.uploads import PushProgress


class _Client:
    def __init__(self, events: list[dict[str, Any]]) -> None:
        self.events = events
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def push(self, repository: str, tag: str, **options: Any) -> Iterator[dict[str, Any]]:
        self.calls.append((repository, tag, options))
        return iter(self.events)


def engine_with(monkeypatch: pytest.MonkeyPatch, *events: dict[str, Any]) -> tuple[Engine, _Client]:
    engine, client = Engine("unix:///nowhere.sock"), _Client(list(events))
    monkeypatch.setattr(engine, "_client", lambda handle=None: client)
    return engine, client


def test_a_push_returns_the_digest_from_the_end_of_the_stream(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, client = engine_with(
        monkeypatch, {"status": "Pushed"}, {"aux": {"Tag": "1", "Digest": "sha256:d"}}
    )
    assert engine.push("127.0.0.1:5000/a", "1", None) == "sha256:d"
    assert client.calls == [
        ("127.0.0.1:5000/a", "1", {"stream": True, "decode": True, "auth_config": None})
    ]


def test_a_push_tells_its_progress_under_its_ref(monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = engine_with(
        monkeypatch,
        {"status": "Pushing", "progressDetail": {"current": 5, "total": 10}, "id": "l1"},
        {"status": "Pushed", "progressDetail": {}, "id": "l1"},
        {"aux": {"Tag": "1", "Digest": "sha256:d"}},
    )
    seen: list[PushProgress] = []
    assert engine.push("127.0.0.1:5000/a", "1", None, seen.append) == "sha256:d"
    assert seen == [
        PushProgress("127.0.0.1:5000/a:1", 0, 1, 5, 10),
        PushProgress("127.0.0.1:5000/a:1", 1, 1, 10, 10),
    ]


@pytest.mark.parametrize(
    ("auth", "config"),
    [
        (PushAuth("ci", "s3cret"), {"username": "ci", "password": "s3cret"}),
        (PushAuth("<token>", "id-9f2c"), {"identitytoken": "id-9f2c"}),
    ],
)
def test_credentials_reach_the_engine_as_docker_spells_them(
    monkeypatch: pytest.MonkeyPatch, auth: PushAuth, config: dict[str, str]
) -> None:
    engine, client = engine_with(monkeypatch, {"aux": {"Digest": "sha256:d"}})
    engine.push("r/a", "1", auth)
    assert client.calls[0][2]["auth_config"] == config
    assert auth.secret not in repr(auth)


@pytest.mark.parametrize(
    ("message", "transient"),
    [
        ("denied: requested access to the resource is denied", False),
        ("unauthorized: authentication required", False),
        ("received unexpected HTTP status: 503 Service Unavailable", True),
        ("dial tcp 127.0.0.1:5000: connect: connection refused", True),
        ("manifest invalid", False),
    ],
)
def test_a_push_failure_in_the_stream_raises_and_says_if_a_retry_may_help(
    monkeypatch: pytest.MonkeyPatch, message: str, transient: bool
) -> None:
    engine, _ = engine_with(
        monkeypatch, {"status": "Preparing"}, {"errorDetail": {"message": message}}
    )
    with pytest.raises(PushFailed, match="pushing r/a:1 failed: ") as failure:
        engine.push("r/a", "1", None)
    assert failure.value.transient is transient


def test_a_push_without_a_digest_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = engine_with(monkeypatch, {"status": "Pushed"})
    with pytest.raises(PushFailed, match="reported no digest") as failure:
        engine.push("r/a", "1", None)
    assert failure.value.transient is False
