"""Build events: the only thing progress renderers see of a run.

The scheduler emits them from worker threads; `emit` callables must be thread-safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    BUILT = "built"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_STARTED = "not-started"

    @property
    def ok(self) -> bool:
        return self in (Status.BUILT, Status.SKIPPED)


@dataclass(frozen=True)
class ImageResult:
    name: str
    status: Status
    refs: tuple[str, ...] = ()
    image_id: str | None = None
    input_digest: str | None = None
    seconds: float = 0.0
    started_at: float | None = None  # wall-clock seconds, for overlap checks and JSON
    finished_at: float | None = None
    error: str | None = None
    failed_step: str | None = None
    log_tail: tuple[str, ...] = ()
    reason: str | None = None  # why skipped / not started
    builder: str | None = None  # classic or buildkit
    engine: str | None = None  # the pool engine that built or holds it
    platform: str | None = None  # `linux/arm64` for a platform variant; None: the engine's own
    cache: str | None = None  # with a remote cache: local, pulled, copied or miss


@dataclass(frozen=True)
class RunStarted:
    images: tuple[str, ...]
    jobs: int
    engine: str


@dataclass(frozen=True)
class ImageStarted:
    name: str
    engine: str | None = None


@dataclass(frozen=True)
class ImageMoved:
    """An image copied to the engine where `name` builds: a dependency or a base."""

    name: str
    image: str  # the dependency's name or the base's ref
    source: str
    target: str
    via: str  # "registry" or "stream"
    seconds: float


@dataclass(frozen=True)
class EngineDown:
    """A pool engine stopped answering; `retried` images go to the other engines."""

    engine: str
    reason: str
    retried: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImageStep:
    name: str
    step: int
    steps: int
    text: str


@dataclass(frozen=True)
class ImageLog:
    name: str
    text: str


@dataclass(frozen=True)
class ImageFinished:
    result: ImageResult


@dataclass(frozen=True)
class RunFinished:
    results: tuple[ImageResult, ...]
    seconds: float
    interrupted: bool = False


Event = (
    RunStarted
    | ImageStarted
    | ImageStep
    | ImageLog
    | ImageFinished
    | RunFinished
    | ImageMoved
    | EngineDown
)
Emit = Callable[[Event], None]
