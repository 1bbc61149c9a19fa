"""A run as a timeline: events timestamped as they arrive, turned into rows of segments.

`Recorder` wraps a renderer: every event is passed on and, but for log lines, kept with the
time it arrived (the scheduler needs no clock of its own for this). `timeline` then makes one
row per image, in one lane per engine: waiting (ready, no slot yet), each build step, moves of
images to its engine, skipped, failed, not started and, for a publish, each pushed ref (with the
bytes and layers its push uploaded, when the push said so: see `Recorder.uploading`). Totals
say the wall time, the critical path through the graph and the parallelism reached.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.by_image import platforms_of
from builder.events import (
    Emit,
    EngineDown,
    Event,
    ImageFinished,
    ImageLog,
    ImageMoved,
    ImageResult,
    ImageStarted,
    ImageStep,
    RunFinished,
    RunStarted,
    Status,
)
from builder.graph import Graph
from builder.text import byte_size
from builder.uploads import PushEvent, PushProgress

if TYPE_CHECKING:
    from builder.publish import RefResult


@dataclass(frozen=True)
class Timed:
    at: float  # wall-clock seconds
    event: Event | RefResult | PushProgress


class Recorder:
    """A renderer wrapper that keeps every event (but log lines) with its arrival time."""

    def __init__(self, render: Emit, clock: Callable[[], float] = time.time) -> None:
        self.render = render
        self.clock = clock
        self._lock = threading.Lock()
        self._events: list[Timed] = []
        self._uploads: dict[str, PushProgress] = {}  # ref -> where its push stands

    def __call__(self, event: Event) -> None:
        if not isinstance(event, ImageLog):
            with self._lock:
                self._events.append(Timed(self.clock(), event))
        self.render(event)

    def uploading(self, event: PushEvent) -> None:
        """Where a ref's push stands; only the last, kept with the ref's result, is recorded
        (a push says so for every chunk of every layer)."""
        if isinstance(event, PushProgress):
            with self._lock:
                self._uploads[event.ref] = event

    def pushed(self, row: RefResult) -> None:
        """A publish's ref done (pushed, copied, skipped or failed), with what it uploaded."""
        with self._lock:
            now = self.clock()
            uploaded = self._uploads.pop(row.target.ref, None)
            if uploaded is not None:
                self._events.append(Timed(now, uploaded))
            self._events.append(Timed(now, row))

    @property
    def events(self) -> tuple[Timed, ...]:
        with self._lock:
            return tuple(self._events)


@dataclass(frozen=True)
class Segment:
    kind: str  # waiting, building, step, failed, skipped, moved, pushed, not-started
    start: float  # seconds since the run started
    end: float
    label: str


@dataclass
class Row:
    image: str  # the run's key: the image's name, or `NAME@PLATFORM` for another variant
    engine: str
    status: str = "not-started"
    segments: list[Segment] = field(default_factory=list)
    platform: str | None = None  # a variant's platform; None: the engine's own, unnamed


@dataclass(frozen=True)
class Totals:
    wall: float
    critical_path: tuple[str, ...]
    critical_seconds: float
    peak_parallelism: int
    mean_parallelism: float


@dataclass(frozen=True)
class Timeline:
    rows: tuple[Row, ...]  # in plan order
    totals: Totals

    @property
    def lanes(self) -> dict[str, list[Row]]:
        lanes: dict[str, list[Row]] = {}
        for row in self.rows:
            lanes.setdefault(row.engine, []).append(row)
        return lanes


@dataclass
class _Builder:
    """The state of turning events into rows, one event at a time."""

    origin: float
    engine: str
    rows: dict[str, Row] = field(default_factory=dict)
    open_at: dict[str, float] = field(default_factory=dict)  # image -> its attempt's start
    steps: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    finished_at: dict[str, float] = field(default_factory=dict)
    uploaded: dict[str, PushProgress] = field(default_factory=dict)  # ref -> its last progress
    last_push: float | None = None
    end: float = 0.0

    def row(self, name: str) -> Row:
        return self.rows.setdefault(name, Row(name, self.engine))

    def take(self, at: float, event: Event | RefResult | PushProgress) -> None:
        now = at - self.origin
        self.end = max(self.end, now)
        if isinstance(event, ImageStarted):
            self.close(event.name, now, "lost")  # a retry after its engine went down
            self.open_at[event.name] = now
            self.steps[event.name] = []
            if event.engine:
                self.row(event.name).engine = event.engine
        elif isinstance(event, ImageStep):
            self.steps.setdefault(event.name, []).append((now, event.text))
        elif isinstance(event, ImageMoved):
            label = f"moved {event.image} from {event.source} to {event.target} ({event.via})"
            self.row(event.name).segments.append(
                Segment("moved", max(0.0, now - event.seconds), now, label)
            )
        elif isinstance(event, ImageFinished):
            self.finish(event.result, now)
        elif isinstance(event, RunFinished):
            self.end = max(self.end, event.seconds)
        elif isinstance(event, PushProgress):
            self.uploaded[event.ref] = event
        elif isinstance(event, RunStarted | ImageLog | EngineDown):
            return
        else:
            self.push(event, now)

    def finish(self, result: ImageResult, now: float) -> None:
        row = self.row(result.name)
        row.status = result.status.value
        row.engine = result.engine or row.engine
        self.finished_at[result.name] = now
        if result.status is Status.NOT_STARTED:
            row.segments.append(Segment("not-started", now, now, result.reason or "not started"))
            return
        kind = {Status.BUILT: "building", Status.SKIPPED: "skipped"}.get(result.status, "failed")
        self.close(result.name, now, kind, result.reason or result.error or "")

    def close(self, name: str, now: float, kind: str, detail: str = "") -> None:
        """End the image's open attempt: a segment per step (or one for the whole attempt)."""
        start = self.open_at.pop(name, None)
        if start is None:
            return
        steps = self.steps.pop(name, [])
        segments = self.row(name).segments
        marks = [(start, detail or kind), *steps, (now, "")]
        for (begin, label), (until, _) in itertools.pairwise(marks):
            if until > begin or len(marks) == 2:
                segments.append(Segment(kind, begin, until, label))

    def push(self, row: RefResult, now: float) -> None:
        begin = self.last_push if self.last_push is not None else self.end_of_builds()
        label = f"{row.status.value} {row.target.ref}"
        uploaded = self.uploaded.get(row.target.ref)
        if uploaded is not None:
            label += (
                f": {byte_size(uploaded.bytes_done)} uploaded, "
                f"{uploaded.layers_done}/{uploaded.layers} layers"
            )
        self.row(row.target.image).segments.append(Segment("pushed", begin, now, label))
        self.last_push = now

    def end_of_builds(self) -> float:
        return max(self.finished_at.values(), default=0.0)


def timeline(events: Sequence[Timed], graph: Graph) -> Timeline:
    """The rows and totals of a recorded run (its RunStarted comes first)."""
    started = next((t for t in events if isinstance(t.event, RunStarted)), None)
    origin = started.at if started is not None else (events[0].at if events else 0.0)
    engine = started.event.engine if started and isinstance(started.event, RunStarted) else "-"
    builder = _Builder(origin, engine)
    if started is not None and isinstance(started.event, RunStarted):
        for name in started.event.images:
            builder.row(name)
    for timed in events:
        builder.take(timed.at, timed.event)
    _add_waiting(builder, graph)
    platforms = platforms_of(graph)
    for row in builder.rows.values():
        row.platform = platforms.get(row.image)
    rows = tuple(builder.rows.values())
    return Timeline(rows, _totals(rows, graph, builder.end))


def _add_waiting(builder: _Builder, graph: Graph) -> None:
    """Each image waited from when its dependencies were done to its first start."""
    for name, row in builder.rows.items():
        starts = [s.start for s in row.segments if s.kind not in ("moved", "pushed", "not-started")]
        if not starts:
            continue
        deps = [builder.finished_at.get(dep, 0.0) for dep in graph.dependencies(name)]
        ready, first = max(deps, default=0.0), min(starts)
        if first > ready:
            row.segments.insert(0, Segment("waiting", ready, first, "waiting for a free slot"))


def _busy(row: Row) -> list[tuple[float, float]]:
    """When the image held a slot: its attempts (moves for it happen inside them)."""
    kinds = ("building", "failed", "skipped", "lost")
    return [(s.start, s.end) for s in row.segments if s.kind in kinds]


def _totals(rows: Sequence[Row], graph: Graph, wall: float) -> Totals:
    busy = {row.image: sum(end - start for start, end in _busy(row)) for row in rows}
    longest: dict[str, tuple[float, tuple[str, ...]]] = {}
    for name in graph.order():
        if name not in busy:
            continue
        before = max((longest[d] for d in graph.dependencies(name) if d in longest), default=None)
        seconds, path = before or (0.0, ())
        longest[name] = (seconds + busy[name], (*path, name))
    critical = max(longest.values(), default=(0.0, ()))
    edges = sorted(
        (moment, step) for row in rows for s, e in _busy(row) for moment, step in ((s, 1), (e, -1))
    )
    peak = running = 0
    for _, step in edges:
        running += step
        peak = max(peak, running)
    mean = sum(busy.values()) / wall if wall > 0 else 0.0
    return Totals(round(wall, 3), critical[1], round(critical[0], 3), peak, round(mean, 2))
