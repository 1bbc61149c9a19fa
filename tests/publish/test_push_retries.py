"""Publish's push through the engine, retried by the shared helper (no engine: a fake push)."""

from __future__ import annotations

from typing import Any, cast

import pytest

from builder.credentials import Credentials, CredentialSource
from builder.engine import Engine, PushFailed
from builder.publish import Target, _push_with_retries
from builder.retry import RetryPolicy
from builder.tags import Tag, TagKind

TARGET = Target("api", "127.0.0.1:5000", "team/api", Tag("1.0.0", TagKind.VERSION, "--version"))
ENGINE = cast(Engine, object())  # never called: push_image is replaced
CREDENTIALS = Credentials("127.0.0.1:5000", "ci", "s3cret", CredentialSource.ENV, "env")


def fake_push(monkeypatch: pytest.MonkeyPatch, *errors: PushFailed) -> list[str]:
    calls: list[str] = []
    queue = list(errors)

    def push(_engine: Any, name: str, tag: str, _auth: Any) -> str:
        calls.append(f"{name}:{tag}")
        if queue:
            raise queue.pop(0)
        return "sha256:" + "a" * 64

    monkeypatch.setattr("builder.publish.push_image", push)
    return calls


def test_a_transient_push_failure_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = fake_push(monkeypatch, PushFailed("connection reset", transient=True))
    digest = _push_with_retries(ENGINE, TARGET, CREDENTIALS, RetryPolicy(attempts=3, backoff=0))
    assert digest.startswith("sha256:")
    assert calls == ["127.0.0.1:5000/team/api:1.0.0"] * 2


def test_a_refused_push_is_not_retried_and_names_the_user_not_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = fake_push(monkeypatch, PushFailed("denied: requested access", transient=False))
    with pytest.raises(PushFailed) as caught:
        _push_with_retries(ENGINE, TARGET, CREDENTIALS, RetryPolicy(attempts=3, backoff=0))
    assert len(calls) == 1
    assert "user 'ci' from env" in str(caught.value)
    assert "s3cret" not in str(caught.value)
