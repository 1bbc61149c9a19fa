from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import load_graph, with_build_args
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


# The shape of a bake project: server.Dockerfile's later stage builds on admin-tools, which is
# built on the server stage. Only the `debug` image builds that later stage.
SPLIT_CONFIG = """
[images.server]
context = "."
dockerfile = "server.Dockerfile"
repository = "org/server"
target = "server"
builder = "{builder}"

[images.admin-tools]
context = "."
dockerfile = "admin-tools.Dockerfile"
repository = "org/admin-tools"
builder = "{builder}"

[images.debug]
context = "."
dockerfile = "server.Dockerfile"
repository = "org/server-debug"
target = "debug"
builder = "{builder}"
"""

SPLIT_FILES = {
    "server.Dockerfile": (
        "FROM local/busybox:1 AS server\n"
        "RUN echo server\n"
        "FROM org/admin-tools AS debug\n"
        "COPY --from=org/admin-tools:latest /a /a\n"
        "RUN --mount=from=org/admin-tools,target=/t true\n"
    ),
    "admin-tools.Dockerfile": "FROM org/server\n",
}


@pytest.mark.parametrize("builder", ["classic", "buildkit", "auto"])
def test_a_later_stage_the_target_never_builds_makes_no_edge(tmp_path: Path, builder: str) -> None:
    graph = graph_for(tmp_path, SPLIT_CONFIG.format(builder=builder), SPLIT_FILES)
    assert graph.dependencies("server") == ()
    assert graph.dependencies("admin-tools") == ("server",)
    assert graph.dependencies("debug") == ("admin-tools",)
    assert graph.order() == ["server", "admin-tools", "debug"]
    assert graph.nodes["server"].external_bases == ("local/busybox:1",)


UNUSED_EARLY_STAGE = {
    # The `tools` stage comes first but the target never reads it: BuildKit skips it, the
    # classic builder runs it.
    "api/Dockerfile": "FROM shop/base AS tools\nFROM busybox:1.36 AS app\nCOPY --from=0 /x /x\n",
    "app/Dockerfile": "FROM shop/base AS tools\nFROM busybox:1.36 AS app\nRUN true\n",
    "base/Dockerfile": "FROM debian:12\n",
}


@pytest.mark.parametrize(
    ("builder", "api", "app"),
    [
        ("buildkit", ("base",), ()),
        ("classic", ("base",), ("base",)),
        ("auto", ("base",), ("base",)),
    ],
)
def test_buildkit_edges_come_only_from_the_stages_the_target_reads(
    tmp_path: Path, builder: str, api: tuple[str, ...], app: tuple[str, ...]
) -> None:
    config = (
        '[images.base]\ncontext = "base"\nrepository = "shop/base"\n'
        f'[images.api]\ncontext = "api"\nbuilder = "{builder}"\n'
        f'[images.app]\ncontext = "app"\nbuilder = "{builder}"\n'
    )
    graph = graph_for(tmp_path, config, UNUSED_EARLY_STAGE)
    assert graph.dependencies("api") == api  # COPY --from=0 reads the tools stage
    assert graph.dependencies("app") == app


@pytest.mark.parametrize(
    ("override", "app"), [(None, ()), ("classic", ("base",)), ("buildkit", ())]
)
def test_the_builder_of_the_run_decides_the_edges(
    tmp_path: Path, override: str | None, app: tuple[str, ...]
) -> None:
    """`build --builder classic` on images configured for BuildKit: the classic builder runs
    the unused `tools` stage, so its FROM is an edge of this run's graph."""
    config = (
        '[images.base]\ncontext = "base"\nrepository = "shop/base"\n'
        '[images.app]\ncontext = "app"\nbuilder = "buildkit"\n'
    )
    path = write_project(tmp_path, config, UNUSED_EARLY_STAGE)
    config_read, graph = load_graph(path, builder=override)
    assert graph.dependencies("app") == app
    assert config_read.images["app"].builder == (override or "buildkit")
