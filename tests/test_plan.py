"""The plan (`build --print`), with engines in memory: actions, reasons, builders, placement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builder import plan as plan_module
from builder.build import load_graph
from builder.config import SecretSource
from builder.errors import ConfigError, UsageError
from builder.events import Event
from builder.inputs import InputResolver
from builder.plan import Action, choose_builder, make_plan
from builder.plan_output import plan_json, plan_lines
from builder.pool import Move
from builder.scheduler import RunOptions, run_plan
from tests.fakes import BASE_REF, FakeEngine, fake_pool, plan_for, write_images

CHAIN = {"a": f"FROM {BASE_REF}\nRUN echo a\n", "b": "FROM t/a:latest\nRUN echo b\n"}


def test_a_fresh_engine_builds_everything_and_dependents_wait_for_their_digest(
    tmp_path: Path,
) -> None:
    graph = load_graph(write_images(tmp_path, CHAIN))[1]
    plan, _ = plan_for(graph, fake_pool(FakeEngine()))
    a, b = plan.images
    assert (a.action, a.reason, b.action, b.reason) == (
        Action.BUILD,
        "inputs changed or never built",
        Action.BUILD,
        "dependency rebuilt: a",
    )
    assert a.input_digest is not None and b.input_digest is None
    assert (a.builder, a.builder_reason) == ("classic", "asked for")
    assert b.dependencies == ("a",) and a.refs == ("t/a:latest",)
    assert plan.image("b") is b
    assert a.engine is None and a.moves == ()


def test_after_a_run_every_image_is_skipped_with_the_image_it_found(tmp_path: Path) -> None:
    graph = load_graph(write_images(tmp_path, CHAIN))[1]
    engine = FakeEngine()
    plan, resolver = plan_for(graph, fake_pool(engine))
    built = run_plan(plan, fake_pool(engine), resolver, RunOptions(), lambda event: None)
    again, _ = plan_for(graph, fake_pool(engine))
    assert [(i.action, i.reason) for i in again.images] == [(Action.SKIP, "inputs unchanged")] * 2
    assert [i.existing_image for i in again.images] == [r.image_id for r in built.results]
    assert [i.input_digest for i in again.images] == [r.input_digest for r in built.results]
    no_cache = make_plan(graph, InputResolver(fake_pool(engine)), fake_pool(engine), no_cache=True)
    assert [(i.action, i.reason) for i in no_cache.images] == [
        (Action.BUILD, "--no-cache"),
        (Action.BUILD, "dependency rebuilt: a"),
    ]


@pytest.mark.parametrize(
    ("dockerfile", "feature", "line"),
    [
        (f"FROM {BASE_REF}\nRUN --mount=type=cache,target=/c true\n", "RUN --mount", 2),
        (f"FROM {BASE_REF}\nRUN <<EOF\ntrue\nEOF\n", "a RUN heredoc", 2),
    ],
)
def test_the_classic_builder_refuses_what_only_buildkit_understands(
    tmp_path: Path, dockerfile: str, feature: str, line: int
) -> None:
    graph = load_graph(write_images(tmp_path, {"x": dockerfile}))[1]
    with pytest.raises(UsageError) as caught:
        plan_for(graph, fake_pool(FakeEngine()))
    assert caught.value.message.startswith(f"{feature} needs BuildKit, and image x builds")
    assert caught.value.line == line
    assert caught.value.path == tmp_path / "x" / "Dockerfile"


def test_a_stage_after_the_target_may_use_buildkit_features(tmp_path: Path) -> None:
    dockerfile = (
        f"FROM {BASE_REF} AS one\nRUN true\nFROM one\nRUN --mount=type=cache,target=/c true\n"
    )
    config = write_images(tmp_path, {"x": dockerfile}, extra='target = "one"')
    plan, _ = plan_for(load_graph(config)[1], fake_pool(FakeEngine()))
    assert plan.images[0].action is Action.BUILD


def test_secrets_need_buildkit_and_tls_engines_get_the_classic_builder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = load_graph(write_images(tmp_path, CHAIN))[1].nodes["a"].spec
    secret = SecretSource(name="token", env="TOKEN")
    with pytest.raises(ConfigError, match=r"images\.a\.secrets: the classic builder cannot"):
        choose_builder(spec.__class__(**{**spec.__dict__, "secrets": (secret,)}), "classic", "1.41")
    monkeypatch.setattr(plan_module, "resolve_builder", lambda r, v: ("buildkit", "auto: found"))
    assert choose_builder(spec, "auto", "1.41", tls=True) == (
        "classic",
        "auto: a pool engine uses TLS; the BuildKit client gets no TLS",
    )
    with pytest.raises(UsageError, match="BuildKit builds on an engine with TLS"):
        choose_builder(spec, "buildkit", "1.41", tls=True)
    assert choose_builder(spec, "buildkit", "1.41") == ("buildkit", "auto: found")


def test_the_plan_predicts_where_the_run_places_each_image(tmp_path: Path) -> None:
    images = {**CHAIN, "c": f"FROM {BASE_REF}\nRUN echo c\n"}
    graph = load_graph(write_images(tmp_path, images))[1]
    pool = fake_pool(FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock"), jobs=1)
    plan, resolver = plan_for(graph, pool)
    predicted = {i.name: i.engine for i in plan.images}
    assert predicted == {"a": "e1", "b": "e1", "c": "e2"}
    result = run_plan(plan, pool, resolver, RunOptions(jobs=1), lambda event: None)
    assert {r.name: r.engine for r in result.results} == predicted
    again, resolver = plan_for(graph, pool)
    assert {i.name: (i.action, i.engine) for i in again.images} == {
        name: (Action.SKIP, engine) for name, engine in predicted.items()
    }
    skipped = run_plan(again, pool, resolver, RunOptions(jobs=1), lambda event: None)
    assert [r.engine for r in skipped.results] == [i.engine for i in again.images]


def test_a_pinned_dependent_gets_a_predicted_move_and_the_output_shows_it(
    tmp_path: Path,
) -> None:
    config = write_images(tmp_path, CHAIN)
    config.write_text(
        config.read_text().replace('repository = "t/b"', 'repository = "t/b"\nengine = "e2"')
    )
    graph = load_graph(config, build_args={"V": "1"})[1]
    pool = fake_pool(FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock"))
    plan, resolver = plan_for(graph, pool)
    assert plan.image("b").moves == (Move("a", "e1", "e2", "stream"),)
    lines = plan_lines(plan)
    assert lines[0] == "plan for 2 image(s) on e1=unix:///one.sock, e2=unix:///two.sock:"
    assert lines[1:8] == [
        "1. a: build (inputs changed or never built)",
        "     builder: classic (asked for)",
        "     engine: e1",
        "     tags: t/a:latest",
        "     args: V=1",
        f"     input digest: {plan.image('a').input_digest}",
        "2. b: build (dependency rebuilt: a)",
    ]
    assert "     move: a e1 -> e2 (stream)" in lines and "     after: a" in lines
    document = json.loads(plan_json(plan))
    assert document["engines"] == {"e1": "unix:///one.sock", "e2": "unix:///two.sock"}
    assert document["images"][1]["placed_on"] == "e2"
    assert document["images"][1]["moves"] == [
        {"image": "a", "from": "e1", "to": "e2", "via": "stream"}
    ]
    events: list[Event] = []
    result = run_plan(plan, pool, resolver, RunOptions(), events.append)
    assert [r.engine for r in result.results] == ["e1", "e2"]


def test_a_pool_plan_skips_on_the_engine_holding_the_result(tmp_path: Path) -> None:
    graph = load_graph(write_images(tmp_path, {"a": CHAIN["a"]}))[1]
    first, second = FakeEngine("unix:///one.sock"), FakeEngine("unix:///two.sock")
    plan, resolver = plan_for(graph, fake_pool(second))
    run_plan(plan, fake_pool(second), resolver, RunOptions(), lambda event: None)
    pooled, _ = plan_for(graph, fake_pool(first, second))
    image = pooled.images[0]
    assert (image.action, image.reason, image.engine) == (Action.SKIP, "inputs unchanged", "e2")
