"""The recorded run as rows of segments, and its totals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from builder.build import load_graph
from builder.events import (
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
from builder.timeline import Recorder, Segment, timeline
from builder.uploads import PushProgress
from tests.build.helpers import write_project
from tests.test_ci_report import CONFIG, FILES

BUILT = ImageResult("base", Status.BUILT, engine="e1")
FAILED = ImageResult("api", Status.FAILED, error="boom", engine="e2")
NOT_STARTED = ImageResult("web", Status.NOT_STARTED, reason="stopped after api failed")
RUN: list[tuple[float, Event]] = [
    (100.0, RunStarted(("base", "api", "web"), 2, "pool of 2")),
    (101.0, ImageStarted("base", "e1")),
    (101.5, ImageStep("base", 1, 2, "Step 1/2 : FROM busybox:1")),
    (102.0, ImageStep("base", 2, 2, "Step 2/2 : RUN true")),
    (102.1, ImageLog("base", "a log line")),
    (103.0, ImageFinished(BUILT)),
    (104.0, ImageStarted("api", "e2")),
    (104.5, ImageMoved("api", "base", "e1", "e2", "stream", 0.5)),
    (105.0, ImageStep("api", 3, 4, "Step 3/4 : RUN exit 3")),
    (106.0, ImageFinished(FAILED)),
    (106.0, ImageFinished(NOT_STARTED)),
    (106.2, RunFinished((BUILT, FAILED, NOT_STARTED), 6.2)),
]


@pytest.fixture
def graph(tmp_path: Path) -> Graph:
    return load_graph(write_project(tmp_path, CONFIG, FILES))[1]


def record(run: list[tuple[float, Event]]) -> Recorder:
    clock: Iterator[float] = iter(at for at, _ in run if not isinstance(_, ImageLog))
    seen: list[Event] = []
    recorder = Recorder(seen.append, clock=lambda: next(clock))
    for _, event in run:
        recorder(event)
    assert seen == [event for _, event in run]  # every event reaches the renderer
    return recorder


def test_recorder_keeps_all_but_log_lines() -> None:
    events = record(RUN).events
    assert len(events) == len(RUN) - 1
    assert not any(isinstance(timed.event, ImageLog) for timed in events)


def test_rows_hold_waiting_steps_moves_and_outcomes(graph: Graph) -> None:
    rows = {row.image: row for row in timeline(record(RUN).events, graph).rows}
    assert rows["base"].engine == "e1" and rows["base"].status == "built"
    assert rows["base"].segments == [
        Segment("waiting", 0.0, 1.0, "waiting for a free slot"),
        Segment("building", 1.0, 1.5, "building"),
        Segment("building", 1.5, 2.0, "Step 1/2 : FROM busybox:1"),
        Segment("building", 2.0, 3.0, "Step 2/2 : RUN true"),
    ]
    assert rows["api"].engine == "e2"
    assert rows["api"].segments == [
        Segment("waiting", 3.0, 4.0, "waiting for a free slot"),
        Segment("moved", 4.0, 4.5, "moved base from e1 to e2 (stream)"),
        Segment("failed", 4.0, 5.0, "boom"),
        Segment("failed", 5.0, 6.0, "Step 3/4 : RUN exit 3"),
    ]
    assert rows["web"].segments == [Segment("not-started", 6.0, 6.0, "stopped after api failed")]


def test_totals(graph: Graph) -> None:
    totals = timeline(record(RUN).events, graph).totals
    assert totals.wall == 6.2
    assert totals.critical_path == ("base", "api")
    assert totals.critical_seconds == 4.0  # base 2s, api 2s (its move inside them)
    assert totals.peak_parallelism == 1
    assert totals.mean_parallelism == round(4.0 / 6.2, 2)


def test_lanes_group_rows_by_engine(graph: Graph) -> None:
    lanes = timeline(record(RUN).events, graph).lanes
    assert {engine: [row.image for row in rows] for engine, rows in lanes.items()} == {
        "e1": ["base"],
        "e2": ["api"],
        "pool of 2": ["web"],
    }


def test_parallelism_counts_images_building_at_once(graph: Graph) -> None:
    api, web = ImageResult("api", Status.BUILT), ImageResult("web", Status.SKIPPED)
    run: list[tuple[float, Event]] = [
        (0.0, RunStarted(("base", "api", "web"), 2, "local")),
        (0.0, ImageStarted("base")),
        (1.0, ImageFinished(BUILT)),
        (1.0, ImageStarted("api")),
        (1.0, ImageStarted("web")),
        (2.0, ImageFinished(web)),
        (3.0, ImageFinished(api)),
        (3.0, RunFinished((BUILT, api, web), 3.0)),
    ]
    result = timeline(record(run).events, graph)
    assert result.totals.peak_parallelism == 2
    assert result.totals.mean_parallelism == 1.33  # 4 image-seconds in 3 seconds
    assert result.totals.critical_path == ("base", "api")
    web_row = next(row for row in result.rows if row.image == "web")
    assert web_row.segments == [Segment("skipped", 1.0, 2.0, "skipped")]
    assert web_row.engine == "local"


def test_a_pushed_bar_says_what_its_push_uploaded(graph: Graph) -> None:
    from builder.publish import RefResult, RefStatus
    from builder.uploads import PublishStarted
    from tests.cli.test_uploads import API, LATEST, progress

    times = iter([100.0, 103.0, 108.0, 109.0])
    recorder = Recorder(lambda event: None, clock=lambda: next(times))
    recorder(RunStarted(("base", "api", "web"), 2, "local"))
    recorder(ImageFinished(ImageResult("api", Status.BUILT)))  # 103.0
    recorder.uploading(PublishStarted((API.ref, LATEST.ref)))
    for done in (0, 1_000_000, 12_500_000):  # a push says where it stands, chunk by chunk
        recorder.uploading(progress(API, done, 12_500_000))
    recorder.pushed(RefResult(API, RefStatus.PUSHED, "sha256:d"))  # 108.0
    recorder.pushed(RefResult(LATEST, RefStatus.SKIPPED, "sha256:d"))  # 109.0: nothing sent
    assert sum(isinstance(t.event, PushProgress) for t in recorder.events) == 1  # the last only
    row = next(row for row in timeline(recorder.events, graph).rows if row.image == "api")
    assert [s for s in row.segments if s.kind == "pushed"] == [
        Segment("pushed", 3.0, 8.0, f"pushed {API.ref}: 12.5 MB uploaded, 1/2 layers"),
        Segment("pushed", 8.0, 9.0, f"skipped {LATEST.ref}"),
    ]
