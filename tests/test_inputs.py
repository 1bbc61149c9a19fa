"""The input digest: what makes an image "unchanged"."""

from __future__ import annotations

from pathlib import Path

from builder.build import load_graph
from builder.inputs import MISSING, InputResolver
from tests.fakes import BASE_ID, BASE_REF, FakeEngine, write_images


def digest_of(config: Path, **build_args: str) -> str:
    graph = load_graph(config, build_args=build_args)[1]
    return InputResolver(FakeEngine()).digest(graph.nodes["a"], {})


def test_build_args_are_part_of_the_input_digest(tmp_path: Path) -> None:
    config = write_images(tmp_path, {"a": f"FROM {BASE_REF}\nARG V\nRUN echo $V\n"})
    assert digest_of(config, V="1") == digest_of(config, V="1")
    assert digest_of(config, V="1") != digest_of(config, V="2")
    assert digest_of(config) != digest_of(config, V="1")


def test_context_files_and_dependency_ids_are_part_of_it(tmp_path: Path) -> None:
    config = write_images(tmp_path, {"a": f"FROM {BASE_REF}\nCOPY f /f\n"})
    (tmp_path / "a" / "f").write_text("one")
    before = digest_of(config)
    (tmp_path / "a" / "f").write_text("two")
    assert digest_of(config) != before
    node = load_graph(config)[1].nodes["a"]
    resolver = InputResolver(FakeEngine())
    assert resolver.digest(node, {"x": None}) == resolver.digest(node, {"x": MISSING})
    assert resolver.digest(node, {"x": "sha256:1"}) != resolver.digest(node, {"x": None})


def test_base_ids_are_looked_up_once_and_forgotten_on_request(tmp_path: Path) -> None:
    config = write_images(tmp_path, {"a": f"FROM {BASE_REF}\n"})
    node = load_graph(config)[1].nodes["a"]
    engine = FakeEngine(images={})
    resolver = InputResolver(engine)
    assert resolver.external_base_id(BASE_REF) == MISSING
    assert resolver.known_base_ids(node) == {}
    engine.tags[BASE_REF] = BASE_ID
    assert resolver.external_base_id(BASE_REF) == MISSING  # cached for the run
    resolver.forget_base(BASE_REF)
    assert resolver.known_base_ids(node) == {BASE_REF: BASE_ID}
    assert resolver.snapshot(node) is resolver.snapshot(node)
