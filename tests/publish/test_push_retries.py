"""Publish's push through the engine, retried by the shared helper (no engine: a fake push)."""

from __future__ import annotations

from typing import Any

import pytest

from builder.credentials import Credentials, CredentialSource
from builder.engine.operations import PushFailed
from builder.publish import _push_with_retries
from builder.publish_plan import Target
from builder.retry import RetryPolicy
from builder.tags import Tag, TagKind
from tests.fakes import FakeEngine

TARGET = Target("api", "127.0.0.1:5000", "team/api", Tag("1.0.0", TagKind.VERSION, "--version"))
CREDENTIALS = Credentials("127.0.0.1:5000", "ci", "s3cret", CredentialSource.ENV, "env")


class PushingEngine(FakeEngine):
    """An engine whose pushes fail with `errors`, one each, then succeed."""

    def __init__(self, *errors: PushFailed) -> None:
        super().__init__("unix:///fake.sock")
        self.errors = list(errors)
        self.calls: list[str] = []

    def push(self, repository: str, tag: str, auth: Any, on_progress: Any = None) -> str:
        self.calls.append(f"{repository}:{tag}")
        if self.errors:
            raise self.errors.pop(0)
        return "sha256:" + "a" * 64


def test_a_transient_push_failure_is_retried() -> None:
    engine = PushingEngine(PushFailed("connection reset", transient=True))
    digest = _push_with_retries(engine, TARGET, CREDENTIALS, RetryPolicy(attempts=3, backoff=0))
    assert digest.startswith("sha256:")
    assert engine.calls == ["127.0.0.1:5000/team/api:1.0.0"] * 2


def test_a_refused_push_is_not_retried_and_names_the_user_not_the_secret() -> None:
    engine = PushingEngine(PushFailed("denied: requested access", transient=False))
    with pytest.raises(PushFailed) as caught:
        _push_with_retries(engine, TARGET, CREDENTIALS, RetryPolicy(attempts=3, backoff=0))
    assert len(engine.calls) == 1
    assert "user 'ci' from env" in str(caught.value)
    assert "s3cret" not in str(caught.value)
