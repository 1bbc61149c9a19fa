from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import with_build_args
from builder.config import load_config
from builder.errors import GraphError
from builder.graph import Graph, build_graph
from tests.build.helpers import write_project

CONFIG = """
[images.base]
context = "base"
repository = "shop/base"
tags = ["dev"]

[images.python]
context = "python"
repository = "shop/python"

[images.api]
context = "api"
repository = "shop/api"

[images.tools]
context = "tools"
depends_on = ["web"]

[images.web]
context = "web"
"""

FILES = {
    "base/Dockerfile": "FROM debian:12\n",
    # ARG default names a graph image: the edge is found after substitution.
    "python/Dockerfile": "ARG BASE=shop/base:other\nFROM ${BASE}\n",
    # COPY --from an image of the graph, with a docker.io prefix.
    "api/Dockerfile": "FROM shop/python AS build\nFROM scratch\nCOPY --from=docker.io/shop/base:dev /a /a\n",
    "tools/Dockerfile": "FROM busybox:1.36\nCOPY --from=nginx:1.25 /etc/nginx /n\n",
    "web/Dockerfile": "FROM busybox:1.36 AS b\nFROM b\n",
}


def graph_for(tmp_path: Path, config: str = CONFIG, files: dict[str, str] = FILES) -> Graph:
    return build_graph(load_config(write_project(tmp_path, config, files)))


def test_edges_are_inferred_from_from_copy_from_and_arg_defaults(tmp_path: Path) -> None:
    graph = graph_for(tmp_path)
    assert graph.dependencies("python") == ("base",)
    assert graph.dependencies("api") == ("base", "python")
    assert graph.dependencies("tools") == ("web",)  # depends_on
    assert graph.dependencies("web") == ()  # FROM an earlier stage is not an image
    assert graph.nodes["tools"].external_bases == ("busybox:1.36", "nginx:1.25")


def test_order_puts_dependencies_first(tmp_path: Path) -> None:
    order = build_graph_order(tmp_path)
    assert order.index("base") < order.index("python") < order.index("api")
    assert order.index("web") < order.index("tools")


def build_graph_order(tmp_path: Path) -> list[str]:
    return graph_for(tmp_path).order()


def test_refs_that_dependents_read_are_applied_to_the_dependency(tmp_path: Path) -> None:
    graph = graph_for(tmp_path)
    assert graph.referenced_refs("base") == ("docker.io/shop/base:dev", "shop/base:other")
    assert graph.referenced_refs("python") == ("shop/python:latest",)


def test_build_args_change_inferred_edges(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, CONFIG, FILES))
    graph = build_graph(with_build_args(config, {"BASE": "debian:12"}))
    assert graph.dependencies("python") == ()
    assert graph.nodes["python"].external_bases == ("debian:12",)


def test_cycle_is_an_error_naming_the_images(tmp_path: Path) -> None:
    files = {"a/Dockerfile": "FROM b:latest\n", "b/Dockerfile": "FROM a\n"}
    config = '[images.a]\ncontext = "a"\n[images.b]\ncontext = "b"\n'
    with pytest.raises(GraphError, match=r"the images form a cycle: a -> b -> a"):
        graph_for(tmp_path, config, files)


def test_select_keeps_what_an_image_needs(tmp_path: Path) -> None:
    graph = graph_for(tmp_path).select(["python"])
    assert sorted(graph.nodes) == ["base", "python"]
    with pytest.raises(GraphError, match=r"no image named 'pyhton'.*did you mean 'python'"):
        graph_for(tmp_path).select(["pyhton"])
