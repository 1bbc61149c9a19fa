"""Health checks of busy pool engines: a hung one is marked down and its builds cancelled."""

from __future__ import annotations

import time

from builder.events import EngineDown, Event
from builder.pool_health import HealthCheck
from tests.fakes import FakeEngine, fake_pool


def poll_until_answered(health: HealthCheck, running: list[tuple[str, str]]) -> None:
    health.poll(running)
    deadline = time.monotonic() + 5
    while health.asked is not None and time.monotonic() < deadline:
        time.sleep(0.01)
        health.poll(running)


def test_an_engine_failing_two_pings_is_marked_down_and_its_builds_cancelled() -> None:
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")
    pool = fake_pool(first, second)
    events: list[Event] = []
    cancelled: list[str] = []
    reported: set[str] = set()
    health = HealthCheck(pool, events.append, cancelled.append, 0.0, reported)
    second.down = "no answer within 5 s"
    running = [("a", "e1"), ("b", "e2"), ("c", "e2")]
    poll_until_answered(health, running)
    health.close()
    assert pool.down == {"e2": "no answer within 5 s"}
    assert events == [EngineDown("e2", "no answer within 5 s", ("b", "c"))]
    assert cancelled == ["b", "c"] and reported == {"e2"}


def test_a_ping_that_raises_counts_as_a_failed_ping() -> None:
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")

    def broken(timeout: float = 5.0) -> str | None:
        raise RuntimeError("socket closed")

    second.ping = broken  # type: ignore[method-assign]
    pool = fake_pool(first, second)
    health = HealthCheck(pool, lambda event: None, lambda name: None, 0.0, set())
    poll_until_answered(health, [("b", "e2")])
    health.close()
    assert pool.down == {"e2": "RuntimeError: socket closed"}


def test_the_last_engine_up_and_idle_engines_are_not_pinged() -> None:
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")
    pool = fake_pool(first, second)
    pool.mark_down("e1", "gone")
    second.down = "hung"
    health = HealthCheck(pool, lambda event: None, lambda name: None, 0.0, set())
    health.poll([("b", "e2")])
    assert health.asked is None  # the last engine is waited for, not given up on
    pool.down.clear()
    health.poll([])
    assert health.asked is None
    later = HealthCheck(pool, lambda event: None, lambda name: None, 60.0, set())
    later.poll([("b", "e2")])
    assert later.asked is None  # not due yet
    health.close()
    later.close()
