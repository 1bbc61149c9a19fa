"""Health checks of a pool's busy engines during a run: a hung engine (it accepts connections
and answers nothing) is marked down, and its builds are cancelled so they are retried elsewhere."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from builder.events import Emit, EngineDown
from builder.pool import Pool

HEALTH_POLL = 0.5  # seconds between looks at finished builds and health answers in a pool


class HealthCheck:
    """Pings every engine that has builds running, every `interval` seconds, off the main
    thread (a hung engine takes the ping's timeout to answer). One that fails two pings in a
    row is marked down and its builds are cancelled (`cancel(name)`), which returns them for a
    retry. `reported` is the run's set of engines whose EngineDown was emitted."""

    def __init__(
        self,
        pool: Pool,
        emit: Emit,
        cancel: Callable[[str], None],
        interval: float,
        reported: set[str],
    ) -> None:
        self.pool = pool
        self.emit = emit
        self.cancel = cancel
        self.interval = interval
        self.reported = reported
        self.next = time.monotonic() + interval
        self.asked: Future[dict[str, str | None]] | None = None
        self._pings = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")

    def poll(self, running: Iterable[tuple[str, str]]) -> None:
        """Apply the answers of the last round, or start one when it is due.

        `running`: (image, engine) of each build running now."""
        running = list(running)
        if self.asked is not None and self.asked.done():
            self._apply(self.asked.result(), running)
            self.asked = None
        if self.asked is not None or time.monotonic() < self.next:
            return
        self.next = time.monotonic() + self.interval
        busy = sorted({engine for _, engine in running if self.pool.is_up(engine)})
        if busy and len(self.pool.up()) > 1:  # the last engine is waited for
            self.asked = self._pings.submit(self._ask, busy)

    def close(self) -> None:
        """Stop without waiting for a ping still out (it times out on its own)."""
        self._pings.shutdown(wait=False, cancel_futures=True)

    def _ask(self, engines: list[str]) -> dict[str, str | None]:
        with ThreadPoolExecutor(max_workers=min(16, len(engines))) as pinging:
            return dict(zip(engines, pinging.map(self._ping_twice, engines), strict=True))

    def _ping_twice(self, engine: str) -> str | None:
        # A busy engine may miss one ping: down only when a second one fails too.
        try:
            first = self.pool.member(engine).engine.ping()
            return first and self.pool.member(engine).engine.ping()
        except Exception as error:  # a ping that breaks is an engine that fails
            return f"{type(error).__name__}: {error}"

    def _apply(self, answers: Mapping[str, str | None], running: list[tuple[str, str]]) -> None:
        for engine, reason in answers.items():
            if reason is None or not self.pool.mark_down(engine, reason):
                continue
            self.reported.add(engine)
            names = tuple(name for name, where in running if where == engine)
            self.emit(EngineDown(engine, reason, names))
            for name in names:
                self.cancel(name)
