"""Placement: one scoring of engines, for the plan's prediction and for the run."""

from __future__ import annotations

from pathlib import Path

from builder.build import load_graph
from builder.events import ImageResult
from builder.inputs import InputResolver
from builder.placement import Candidate, Predictor, RunPlacer, Wanted, choose, place
from builder.scheduler import RunOptions, run_plan
from tests.fakes import BASE_REF, FakeEngine, fake_pool, plan_for, write_images


def candidate(
    name: str,
    *,
    holds_digest: bool = False,
    dependencies_held: int = 0,
    affinity: bool = False,
    free: float = 1,
) -> Candidate:
    return Candidate(name, holds_digest, dependencies_held, affinity, free)


def test_choose_prefers_the_result_then_dependencies_then_affinity_then_free_slots() -> None:
    assert choose([]) is None
    assert choose([candidate("e1", free=5), candidate("e2", holds_digest=True)]) == "e2"
    assert choose([candidate("e1", affinity=True), candidate("e2", dependencies_held=1)]) == "e2"
    assert choose([candidate("e1", free=3), candidate("e2", affinity=True)]) == "e2"
    assert choose([candidate("e1", free=1), candidate("e2", free=2)]) == "e2"
    assert choose([candidate("e1"), candidate("e2")]) == "e1"  # ties: pool order


def test_a_holder_of_the_result_is_waited_for_rather_than_passed_over() -> None:
    pool = fake_pool(FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock"))
    pool.connect()
    wanted = Wanted("t/a", holders={"e2"})
    free = {"e1": 1.0, "e2": 0.0}
    assert place(pool, ["e1", "e2"], wanted, free, has_slot={"e1"}) is None
    assert place(pool, ["e1", "e2"], wanted, free, has_slot={"e1", "e2"}) == "e2"
    nowhere = Wanted("t/a", holders=(), locations=[{"e2"}])
    assert place(pool, ["e1", "e2"], nowhere, free, has_slot={"e1", "e2"}) == "e2"
    assert place(pool, ["e1", "e2"], nowhere, free, has_slot={"e1"}) == "e1"


def test_the_prediction_spreads_independent_images_by_each_engine_share(tmp_path: Path) -> None:
    images = {f"i{n}": f"FROM {BASE_REF}\nRUN echo {n}\n" for n in range(4)}
    graph = load_graph(write_images(tmp_path, images))[1]
    pool = fake_pool(FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock"))
    plan, _ = plan_for(graph, pool)
    assert [image.engine for image in plan.images] == ["e1", "e2", "e1", "e2"]
    assert all(image.moves == () for image in plan.images)
    single = fake_pool(FakeEngine())
    single.connect()
    predictor = Predictor(single, graph, InputResolver(single), {})
    assert predictor.place("i0", {}) == (None, ())


def test_the_run_placer_waits_when_the_only_engine_is_full(tmp_path: Path) -> None:
    graph = load_graph(write_images(tmp_path, {"a": f"FROM {BASE_REF}\n"}))[1]
    pool = fake_pool(FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock"))
    plan, resolver = plan_for(graph, pool)
    results: dict[str, ImageResult] = {}
    placer = RunPlacer(pool, graph, resolver, results)
    members = list(pool.members)
    planned = plan.images[0]
    assert placer.place(planned, members[:1], {"e1": 0, "e2": 1}) is None
    assert placer.place(planned, members, {"e1": 0, "e2": 1}) is members[1]
    assert placer.place(planned, members, {"e1": 1, "e2": 1}) is members[0]


def test_the_run_placer_goes_where_the_result_is(tmp_path: Path) -> None:
    graph = load_graph(write_images(tmp_path, {"a": f"FROM {BASE_REF}\n"}))[1]
    second = FakeEngine("unix:///two.sock")
    alone = fake_pool(second)
    plan, resolver = plan_for(graph, alone)
    run_plan(plan, alone, resolver, RunOptions(), lambda event: None)
    pool = fake_pool(FakeEngine("unix:///one.sock"), second)
    plan, resolver = plan_for(graph, pool)
    placer = RunPlacer(pool, graph, resolver, {})
    members = list(pool.members)
    assert placer.place(plan.images[0], members, {"e1": 2, "e2": 1}) is members[1]
    assert placer.place(plan.images[0], members, {"e1": 2, "e2": 0}) is None
    # Without the digest (--no-cache) the engine that built it before still wins: its cache.
    no_cache = RunPlacer(pool, graph, resolver, {}, no_cache=True)
    assert no_cache.place(plan.images[0], members, {"e1": 2, "e2": 1}) is members[1]
