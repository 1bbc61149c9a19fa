"""The run, with engines in memory: order, slots, failures, Ctrl-C, engines going down."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent import futures
from pathlib import Path
from typing import Any

import pytest

from builder import scheduler
from builder.build import load_graph
from builder.errors import BuildError
from builder.events import (
    EngineDown,
    Event,
    ImageFinished,
    ImageLog,
    ImageMoved,
    ImageStarted,
    ImageStep,
    RunFinished,
    RunStarted,
    Status,
)
from builder.graph import Graph
from builder.pool import Pool
from builder.records import BuildCancelled, BuildRequest, CancelHandle, StepFailed
from builder.scheduler import RunOptions, RunResult, run_plan
from tests.fakes import BASE_REF, FakeEngine, fake_pool, plan_for, write_images

CHAIN = {
    "a": f"FROM {BASE_REF}\nRUN echo a\n",
    "b": "FROM t/a:latest\nRUN echo b\n",
    "c": "FROM t/b:latest\nRUN echo c\n",
}


def graph_of(tmp_path: Path, images: dict[str, str], extra: str = "") -> Graph:
    return load_graph(write_images(tmp_path, images, extra))[1]


def pin(config: Path, image: str, engine: str) -> Path:
    """`image` of the project must build on `engine`."""
    table = f'repository = "t/{image}"'
    config.write_text(config.read_text().replace(table, f'{table}\nengine = "{engine}"'))
    return config


def independent(count: int) -> dict[str, str]:
    return {f"i{n}": f"FROM {BASE_REF}\nRUN echo {n}\n" for n in range(count)}


def run(
    graph: Graph, pool: Pool, options: RunOptions | None = None
) -> tuple[RunResult, list[Event]]:
    plan, resolver = plan_for(graph, pool)
    events: list[Event] = []
    result = run_plan(plan, pool, resolver, options or RunOptions(jobs=2), events.append)
    return result, events


def fail_for(name: str, error: Exception) -> Callable[[BuildRequest, CancelHandle | None], None]:
    def hook(request: BuildRequest, handle: CancelHandle | None) -> None:
        if request.name == name:
            raise error

    return hook


def test_an_unexpected_exception_in_a_build_fails_that_image_and_the_run_still_finishes(
    tmp_path: Path,
) -> None:
    # e.g. the classic builder making the context tar, outside its own try
    engine = FakeEngine()
    engine.on_build = fail_for("i1", OSError(28, "No space left on device"))
    result, events = run(graph_of(tmp_path, independent(3)), fake_pool(engine))
    failed = result.result("i1")
    assert failed.status is Status.FAILED
    assert failed.error == "unexpected error: OSError: [Errno 28] No space left on device"
    assert failed.input_digest is not None
    assert isinstance(events[-1], RunFinished)
    assert events[-1].results == result.results
    assert [r.name for r in result.results] == ["i0", "i1", "i2"]
    assert result.failed


def test_a_runtime_error_is_a_failed_result_with_keep_going(tmp_path: Path) -> None:
    engine = FakeEngine()
    engine.on_build = fail_for("i0", RuntimeError("boom"))
    result, _ = run(graph_of(tmp_path, independent(3)), fake_pool(engine), RunOptions(1, True))
    assert result.result("i0").error == "unexpected error: RuntimeError: boom"
    assert [r.status for r in result.results[1:]] == [Status.BUILT, Status.BUILT]


def test_images_build_in_dependency_order(tmp_path: Path) -> None:
    engine = FakeEngine()
    result, events = run(graph_of(tmp_path, CHAIN), fake_pool(engine), RunOptions(jobs=4))
    assert engine.built == ["a", "b", "c"]
    assert [r.status for r in result.results] == [Status.BUILT] * 3
    marks = [
        (type(e).__name__, e.name if isinstance(e, ImageStarted) else e.result.name)
        for e in events
        if isinstance(e, ImageStarted | ImageFinished)
    ]
    assert marks == [
        ("ImageStarted", "a"),
        ("ImageFinished", "a"),
        ("ImageStarted", "b"),
        ("ImageFinished", "b"),
        ("ImageStarted", "c"),
        ("ImageFinished", "c"),
    ]
    assert isinstance(events[0], RunStarted) and events[0].jobs == 4
    assert any(isinstance(e, ImageStep) and e.text == "Step 1/1 : FROM base" for e in events)
    assert any(isinstance(e, ImageLog) and e.text == " ---> done" for e in events)
    # The dependent's result and its tags: every configured ref points at the built image.
    built = result.result("b")
    assert built.refs == ("t/b:latest",)
    assert engine.tags["t/b:latest"] == built.image_id
    assert built.builder == "classic" and built.engine == "default"


def test_parallel_builds_never_exceed_the_slots(tmp_path: Path) -> None:
    engine = FakeEngine()
    running: list[int] = [0, 0]  # now, most
    lock = threading.Lock()

    def slow(request: BuildRequest, handle: CancelHandle | None) -> None:
        with lock:
            running[0] += 1
            running[1] = max(running)
        time.sleep(0.05)
        with lock:
            running[0] -= 1

    engine.on_build = slow
    result, _ = run(graph_of(tmp_path, independent(6)), fake_pool(engine), RunOptions(jobs=2))
    assert running[1] == 2
    assert all(r.status is Status.BUILT for r in result.results)


def test_a_failure_stops_new_builds_and_its_dependents_are_upstream_failed(
    tmp_path: Path,
) -> None:
    images = {**CHAIN, "z": f"FROM {BASE_REF}\nRUN echo z\n"}
    engine = FakeEngine()
    engine.on_build = fail_for("a", StepFailed("RUN echo a: exit 1", step="RUN", log=("x",)))
    result, _ = run(graph_of(tmp_path, images), fake_pool(engine), RunOptions(jobs=1))
    a = result.result("a")
    assert (a.status, a.error, a.failed_step, a.log_tail) == (
        Status.FAILED,
        "RUN echo a: exit 1",
        "RUN",
        ("x",),
    )
    # Nothing is looked at after the stop: its dependents are not started for the stop too.
    assert [(r.status, r.reason) for r in result.results[1:3]] == [
        (Status.NOT_STARTED, "stopped after a failed")
    ] * 2
    assert result.result("z").status is Status.NOT_STARTED
    assert result.result("z").reason == "stopped after a failed"
    assert engine.built == ["a"]


def test_keep_going_builds_everything_not_downstream_of_a_failure(tmp_path: Path) -> None:
    images = {**CHAIN, "z": f"FROM {BASE_REF}\nRUN echo z\n"}
    engine = FakeEngine()
    engine.on_build = fail_for("b", BuildError("the engine refused the build: bad"))
    options = RunOptions(jobs=1, keep_going=True)
    result, _ = run(graph_of(tmp_path, images), fake_pool(engine), options)
    statuses = {r.name: r.status for r in result.results}
    assert statuses == {
        "a": Status.BUILT,
        "b": Status.FAILED,
        "c": Status.NOT_STARTED,
        "z": Status.BUILT,
    }
    assert result.result("b").error == "the engine refused the build: bad"
    assert result.result("c").reason == "upstream failed: b"


def test_a_second_run_skips_what_has_not_changed(tmp_path: Path) -> None:
    engine = FakeEngine()
    graph = graph_of(tmp_path, CHAIN)
    first, _ = run(graph, fake_pool(engine))
    second, _ = run(graph, fake_pool(engine))
    assert engine.built == ["a", "b", "c"]
    assert [r.status for r in second.results] == [Status.SKIPPED] * 3
    assert [r.reason for r in second.results] == ["inputs unchanged"] * 3
    assert [r.image_id for r in second.results] == [r.image_id for r in first.results]
    third, _ = run(graph, fake_pool(engine), RunOptions(jobs=2, no_cache=True))
    assert [r.status for r in third.results] == [Status.BUILT] * 3


def test_ctrl_c_cancels_running_builds_and_starts_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = FakeEngine()
    started = threading.Event()

    def until_cancelled(request: BuildRequest, handle: CancelHandle | None) -> None:
        assert handle is not None
        started.set()
        if not handle.cancelled.wait(10):
            raise AssertionError("never cancelled")
        raise BuildCancelled("cancelled")

    engine.on_build = until_cancelled
    calls = iter([True])

    def interrupted_wait(*args: Any, **kwargs: Any) -> Any:
        if next(calls, False):
            started.wait(10)
            raise KeyboardInterrupt
        return futures.wait(*args, **kwargs)

    monkeypatch.setattr(scheduler, "wait", interrupted_wait)
    result, events = run(graph_of(tmp_path, CHAIN), fake_pool(engine), RunOptions(jobs=2))
    assert result.interrupted
    assert result.result("a").status is Status.FAILED
    assert result.result("a").error == "interrupted"
    assert [(r.status, r.reason) for r in result.results[1:]] == [
        (Status.NOT_STARTED, "interrupted")
    ] * 2
    assert isinstance(events[-1], RunFinished) and events[-1].interrupted
    assert engine.built == ["a"]


def test_an_engine_that_dies_mid_build_is_marked_down_and_the_image_built_elsewhere(
    tmp_path: Path,
) -> None:
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")

    def die(request: BuildRequest, handle: CancelHandle | None) -> None:
        first.down = "connection refused"
        raise BuildError("the build stream broke")

    first.on_build = die
    result, events = run(graph_of(tmp_path, independent(1)), fake_pool(first, second))
    built = result.result("i0")
    assert (built.status, built.engine) == (Status.BUILT, "e2")
    assert result.engines_down == {"e1": "connection refused"}
    assert EngineDown("e1", "connection refused", ("i0",)) in events
    assert ImageLog("i0", "engine e1 went down; retrying on another") in events
    assert result.pool_size == 2


def test_an_image_lost_with_its_engine_is_built_again_before_its_dependent(
    tmp_path: Path,
) -> None:
    config = write_images(tmp_path, {"a": CHAIN["a"], "b": CHAIN["b"]})
    graph = load_graph(pin(config, "b", "e2"))[1]
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")
    pool = fake_pool(first, second, jobs=1)
    plan, resolver = plan_for(graph, pool)
    events: list[Event] = []

    def emit(event: Event) -> None:
        events.append(event)
        if isinstance(event, ImageFinished) and event.result.name == "a" and not first.down:
            first.down = "crashed"  # after a was built there, before b copies it

    result = run_plan(plan, pool, resolver, RunOptions(jobs=1), emit)
    assert [(r.name, r.status, r.engine) for r in result.results] == [
        ("a", Status.BUILT, "e2"),
        ("b", Status.BUILT, "e2"),
    ]
    assert first.built == ["a"] and second.built == ["a", "b"]
    assert ImageLog("a", "its image was only on engines that are down; building it again") in events
    assert EngineDown("e1", "crashed") in events


def test_an_image_whose_engine_is_down_fails_without_starting(tmp_path: Path) -> None:
    graph = graph_of(tmp_path, independent(1), extra='engine = "e2"')
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")
    second.down = "no such socket"
    result, events = run(graph, fake_pool(first, second))
    failed = result.result("i0")
    assert failed.status is Status.FAILED
    assert failed.error == "its engine e2 is down (no such socket)"
    assert second.built == [] and first.built == []
    assert EngineDown("e2", "no such socket") in events


def test_moves_bring_a_dependency_to_the_engine_its_dependent_builds_on(tmp_path: Path) -> None:
    config = write_images(tmp_path, {"a": CHAIN["a"], "b": CHAIN["b"]})
    graph = load_graph(pin(config, "b", "e2"))[1]
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")
    result, events = run(graph, fake_pool(first, second, jobs=1))
    moved = [e for e in events if isinstance(e, ImageMoved)]
    assert [(m.name, m.image, m.source, m.target, m.via) for m in moved] == [
        ("b", "a", "e1", "e2", "stream")
    ]
    assert second.tags["t/a:latest"] == result.result("a").image_id
