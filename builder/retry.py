"""One retry loop: attempts with exponential backoff while a failure looks transient.

Used by the registry client (each HTTP request) and by publish (each push through the engine),
so both give up after the same number of attempts and wait the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    timeout: float = 30.0  # per attempt, for callers whose attempt can hang (HTTP requests)

    def delays(self) -> list[float]:
        """The waits between attempts: one fewer than the attempts."""
        return [self.backoff * 2**n for n in range(max(self.attempts - 1, 0))]


def with_retries(
    attempt: Callable[[], T],
    policy: RetryPolicy,
    transient: Callable[[Exception], bool],
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`attempt()`, again after each policy delay while it raises a transient error.

    A failure that is not transient is raised at once; the last transient one is raised when
    the attempts are spent.
    """
    for delay in policy.delays():
        try:
            return attempt()
        except Exception as error:
            if not transient(error):
                raise
        sleep(delay)
    return attempt()
