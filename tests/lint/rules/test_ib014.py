"""IB014: an image of the build graph named with a tag the graph does not produce."""

from __future__ import annotations

from collections.abc import Callable

GRAPH = {"acme/base": frozenset({"1.4", "1.4.2"}), "registry.local/tools": frozenset()}


def test_catches_tag_the_graph_does_not_produce(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB014", "FROM acme/base:1.3\n", graph_tags=GRAPH) == [1]


def test_catches_implicit_latest(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB014", "FROM acme/base\n", graph_tags=GRAPH) == [1]


def test_catches_copy_from_graph_image(rule_lines: Callable[..., list[int]]) -> None:
    text = "FROM debian:12\nCOPY --from=acme/base:9 /a /a\n"
    assert rule_lines("IB014", text, graph_tags=GRAPH) == [2]


def test_catches_tag_from_arg_default(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB014", "ARG V=2\nFROM acme/base:${V}\n", graph_tags=GRAPH) == [2]


def test_passes_produced_tag(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB014", "FROM docker.io/acme/base:1.4.2\n", graph_tags=GRAPH) == []


def test_passes_images_outside_the_graph(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB014", "FROM debian:12\n", graph_tags=GRAPH) == []


def test_passes_digest_reference(rule_lines: Callable[..., list[int]]) -> None:
    text = "FROM acme/base@sha256:" + "a" * 64 + "\n"
    assert rule_lines("IB014", text, graph_tags=GRAPH) == []


def test_is_quiet_without_a_graph(rule_lines: Callable[..., list[int]]) -> None:
    assert rule_lines("IB014", "FROM acme/base:1.3\n") == []


def test_message_names_the_produced_tags(rule_messages: Callable[..., list[str]]) -> None:
    assert rule_messages("IB014", "FROM acme/base:1.3\n", graph_tags=GRAPH) == [
        "'acme/base:1.3' is built by this project, but only with the tags: 1.4, 1.4.2; "
        "'1.3' would come from a registry"
    ]
