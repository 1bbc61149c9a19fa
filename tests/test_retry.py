"""The one retry loop, with a fake clock: what is retried, how often, and how long it waits."""

from __future__ import annotations

import pytest

from builder.retry import RetryPolicy, with_retries


class Flaky(Exception):
    pass


class Broken(Exception):
    pass


class Attempts:
    """Fails with the given errors in turn, then returns "done"; counts the calls."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


def flaky(error: Exception) -> bool:
    return isinstance(error, Flaky)


def test_delays_double_from_the_backoff_one_fewer_than_the_attempts() -> None:
    assert RetryPolicy(attempts=4, backoff=0.5).delays() == [0.5, 1.0, 2.0]
    assert RetryPolicy(attempts=1).delays() == []


def test_transient_failures_are_retried_after_each_delay() -> None:
    slept: list[float] = []
    attempt = Attempts(Flaky(), Flaky())
    result = with_retries(attempt, RetryPolicy(attempts=4, backoff=1), flaky, slept.append)
    assert result == "done"
    assert attempt.calls == 3
    assert slept == [1, 2]


def test_a_failure_that_is_not_transient_is_raised_at_once() -> None:
    slept: list[float] = []
    attempt = Attempts(Broken("no"))
    with pytest.raises(Broken):
        with_retries(attempt, RetryPolicy(attempts=4), flaky, slept.append)
    assert attempt.calls == 1
    assert slept == []


def test_the_last_transient_failure_is_raised_when_the_attempts_are_spent() -> None:
    slept: list[float] = []
    attempt = Attempts(Flaky("1"), Flaky("2"), Flaky("3"))
    with pytest.raises(Flaky, match="3"):
        with_retries(attempt, RetryPolicy(attempts=3, backoff=0.25), flaky, slept.append)
    assert attempt.calls == 3
    assert slept == [0.25, 0.5]


def test_one_attempt_never_sleeps() -> None:
    slept: list[float] = []
    attempt = Attempts(Flaky())
    with pytest.raises(Flaky):
        with_retries(attempt, RetryPolicy(attempts=1), flaky, slept.append)
    assert attempt.calls == 1
    assert slept == []
