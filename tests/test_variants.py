"""The run's graph over platforms: one node per (image, platform), edges within a platform,
refs rewritten to per-platform tags, and every missing platform refused before any build."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import load_graph
from builder.errors import GraphError
from builder.graph import Graph
from builder.plan import applied_refs
from builder.platforms import Platform
from builder.variants import expand_platforms, rewritten_text
from tests.build.helpers import write_project
from tests.fakes import FakeEngine

AMD64, ARM64 = Platform("linux", "amd64"), Platform("linux", "arm64")
ARM_ID = "sha256:" + "a" * 64
AMD_ID = "sha256:" + "d" * 64


def _engine() -> FakeEngine:
    """An amd64 engine holding local/busybox:1 and its arm64 variant under the platform tag."""
    engine = FakeEngine(images={"local/busybox:1": AMD_ID, "local/busybox:1-linux-arm64": ARM_ID})
    engine.image_platforms[ARM_ID] = ARM64
    return engine


def _graph(tmp_path: Path, config: str, files: dict[str, str]) -> Graph:
    _, graph = load_graph(write_project(tmp_path, config, files))
    return graph


BASE_AND_APP = """\
[build]
platforms = ["linux/amd64", "linux/arm64"]

[images.base]
context = "base"
repository = "shop/base"
tags = ["dev"]

[images.app]
context = "app"
repository = "shop/app"
"""
FILES = {
    "base/Dockerfile": "FROM local/busybox:1\nRUN true\n",
    "app/Dockerfile": "FROM shop/base:dev\nCOPY --from=shop/base:dev /etc /etc\n",
}


def test_each_image_becomes_one_node_per_platform(tmp_path: Path) -> None:
    graph = expand_platforms(_graph(tmp_path, BASE_AND_APP, FILES), AMD64, _engine())
    assert list(graph.nodes) == ["base", "base@linux/arm64", "app", "app@linux/arm64"]
    assert graph.nodes["base"].platform == AMD64 and graph.nodes["base"].primary
    assert graph.nodes["app@linux/arm64"].platform == ARM64
    assert not graph.nodes["app@linux/arm64"].primary
    assert graph.dependencies("app") == ("base",)
    assert graph.dependencies("app@linux/arm64") == ("base@linux/arm64",)
    assert graph.order() == ["base", "base@linux/arm64", "app", "app@linux/arm64"]


def test_the_primary_variant_has_the_tags_and_the_others_a_platform_tag(tmp_path: Path) -> None:
    graph = expand_platforms(_graph(tmp_path, BASE_AND_APP, FILES), AMD64, _engine())
    assert applied_refs(graph, "base") == ("shop/base:dev",)
    assert applied_refs(graph, "base@linux/arm64") == ("shop/base:dev-linux-arm64",)
    assert applied_refs(graph, "app@linux/arm64") == ("shop/app:latest-linux-arm64",)


def test_on_an_arm64_engine_the_arm64_variant_is_the_primary_one(tmp_path: Path) -> None:
    engine = _engine()
    engine.image_platforms[AMD_ID] = AMD64
    graph = expand_platforms(_graph(tmp_path, BASE_AND_APP, FILES), ARM64, engine)
    assert graph.nodes["base"].platform == ARM64
    assert graph.nodes["base@linux/amd64"].platform == AMD64


def test_a_variant_reads_its_platforms_refs(tmp_path: Path) -> None:
    graph = expand_platforms(_graph(tmp_path, BASE_AND_APP, FILES), AMD64, _engine())
    assert rewritten_text(graph.nodes["app"]) == FILES["app/Dockerfile"]
    assert rewritten_text(graph.nodes["app@linux/arm64"]) == (
        "FROM shop/base:dev-linux-arm64\nCOPY --from=shop/base:dev-linux-arm64 /etc /etc\n"
    )
    base = graph.nodes["base@linux/arm64"]
    assert base.external_bases == ("local/busybox:1-linux-arm64",)
    assert rewritten_text(base) == "FROM local/busybox:1-linux-arm64\nRUN true\n"


def test_rewrites_follow_args_and_leave_the_files_own_stages_alone(tmp_path: Path) -> None:
    files = {
        "base/Dockerfile": "FROM local/busybox:1\n",
        "app/Dockerfile": (
            "ARG BASE=shop/base:dev\n"
            "FROM ${BASE} AS build\n"
            "RUN --mount=type=bind,from=shop/base:dev,target=/b true\n"
            "FROM build\n"
            "COPY --from=build /b /b\n"
        ),
    }
    graph = expand_platforms(_graph(tmp_path, BASE_AND_APP, files), AMD64, _engine())
    assert rewritten_text(graph.nodes["app@linux/arm64"]) == (
        "ARG BASE=shop/base:dev\n"
        "FROM shop/base:dev-linux-arm64 AS build\n"
        "RUN --mount=type=bind,from=shop/base:dev-linux-arm64,target=/b true\n"
        "FROM build\n"
        "COPY --from=build /b /b\n"
    )


def test_a_config_without_platforms_is_left_as_it_is(tmp_path: Path) -> None:
    config = BASE_AND_APP.replace('platforms = ["linux/amd64", "linux/arm64"]', "")
    graph = _graph(tmp_path, config, FILES)
    assert expand_platforms(graph, AMD64, _engine()) is graph


def test_platform_override_applies_to_every_image(tmp_path: Path) -> None:
    config = BASE_AND_APP.replace('platforms = ["linux/amd64", "linux/arm64"]', "")
    graph = expand_platforms(_graph(tmp_path, config, FILES), AMD64, _engine(), [ARM64])
    assert list(graph.nodes) == ["base", "app"]  # the only variant is the primary one
    assert graph.nodes["app"].platform == ARM64
    # The primary variant keeps the configured tags, so the FROM is read as written.
    assert rewritten_text(graph.nodes["app"]) == FILES["app/Dockerfile"]
    assert rewritten_text(graph.nodes["base"]) == "FROM local/busybox:1-linux-arm64\nRUN true\n"


def test_a_dependency_without_the_platform_is_refused_naming_all_three(tmp_path: Path) -> None:
    config = """\
[images.base]
context = "base"
repository = "shop/base"
tags = ["dev"]

[images.app]
context = "app"
repository = "shop/app"
platforms = ["linux/amd64", "linux/arm64"]
"""
    with pytest.raises(GraphError) as raised:
        expand_platforms(_graph(tmp_path, config, FILES), AMD64, _engine())
    message = raised.value.message
    assert "image app is built for linux/arm64 on base" in message
    assert "built only for linux/amd64" in message
    assert raised.value.hint == "add linux/arm64 to images.base.platforms (or [build] platforms)"


def test_depends_on_orders_builds_without_asking_for_the_platform(tmp_path: Path) -> None:
    config = """\
[images.base]
context = "base"

[images.app]
context = "app"
depends_on = ["base"]
platforms = ["linux/amd64", "linux/arm64"]
"""
    files = {"base/Dockerfile": "FROM local/busybox:1\n", "app/Dockerfile": "FROM scratch\n"}
    graph = expand_platforms(_graph(tmp_path, config, files), AMD64, _engine())
    assert graph.dependencies("app@linux/arm64") == ("base",)
    assert graph.nodes["base"].platform is None  # still the engine's own, unnamed


def test_an_outside_base_without_the_platform_is_refused_with_its_line(tmp_path: Path) -> None:
    files = {**FILES, "base/Dockerfile": "# the base\nFROM other/thing:2\n"}
    engine = _engine()
    engine.tags["other/thing:2"] = AMD_ID
    graph = _graph(tmp_path, BASE_AND_APP, files)
    with pytest.raises(GraphError) as raised:
        expand_platforms(graph, AMD64, engine, remote=lambda ref: (AMD64,))
    message = raised.value.message
    assert message == (
        "image base is built for linux/arm64, but its base other/thing:2 (Dockerfile:2) is "
        "linux/amd64, the engine has no other/thing:2-linux-arm64 and its registry serves only "
        "linux/amd64"
    )
    assert raised.value.hint is not None
    assert "other/thing:2-linux-arm64" in raised.value.hint


def test_a_base_its_registry_serves_is_left_to_buildkit_to_pull(tmp_path: Path) -> None:
    files = {**FILES, "base/Dockerfile": "FROM 127.0.0.1:5000/team/base:1\n"}
    asked: list[str] = []

    def remote(ref: str) -> tuple[Platform, ...]:
        asked.append(ref)
        return (AMD64, ARM64)

    graph = expand_platforms(_graph(tmp_path, BASE_AND_APP, files), AMD64, _engine(), (), remote)
    assert graph.nodes["base@linux/arm64"].external_bases == ("127.0.0.1:5000/team/base:1",)
    assert not graph.nodes["base@linux/arm64"].rewrites
    assert set(asked) == {"127.0.0.1:5000/team/base:1"}


def test_a_registry_that_cannot_be_asked_is_named_in_the_error(tmp_path: Path) -> None:
    files = {**FILES, "base/Dockerfile": "FROM python:3.12\n"}
    with pytest.raises(GraphError) as raised:
        expand_platforms(
            _graph(tmp_path, BASE_AND_APP, files),
            AMD64,
            _engine(),
            remote=lambda ref: "docker.io could not be asked (connection refused)",
        )
    assert raised.value.message.endswith(
        "is not in the engine, the engine has no python:3.12-linux-amd64 and docker.io could "
        "not be asked (connection refused)"
    )


CROSS = """\
[images.tool]
context = "tool"
repository = "shop/tool"
tags = ["dev"]

[images.app]
context = "app"
repository = "shop/app"
platforms = ["linux/amd64", "linux/arm64"]
"""
CROSS_FILES = {
    "tool/Dockerfile": "FROM local/busybox:1\nRUN true\n",
    # The cross-compiling pattern: the toolchain runs on the machine, the result is per platform.
    "app/Dockerfile": (
        "FROM --platform=$BUILDPLATFORM shop/tool:dev AS build\nRUN true\n"
        "FROM local/busybox:1\nCOPY --from=build /bin /out\n"
    ),
}


def test_a_from_of_the_build_platform_reads_the_machine_s_variant(tmp_path: Path) -> None:
    graph = expand_platforms(_graph(tmp_path, CROSS, CROSS_FILES), AMD64, _engine())
    # tool is built only for the engine's platform; both app variants read that one.
    assert set(graph.nodes) == {"tool", "app", "app@linux/arm64"}
    assert graph.dependencies("app@linux/arm64") == ("tool",)
    arm64 = graph.nodes["app@linux/arm64"]
    assert rewritten_text(arm64) == (  # the toolchain as it is, the final base for arm64
        "FROM --platform=$BUILDPLATFORM shop/tool:dev AS build\nRUN true\n"
        "FROM local/busybox:1-linux-arm64\nCOPY --from=build /bin /out\n"
    )


def test_a_from_of_a_literal_platform_reads_that_variant(tmp_path: Path) -> None:
    config = CROSS.replace(
        'repository = "shop/tool"',
        'repository = "shop/tool"\nplatforms = ["linux/amd64", "linux/arm64"]',
    )
    files = dict(CROSS_FILES)
    files["app/Dockerfile"] = files["app/Dockerfile"].replace("$BUILDPLATFORM", "linux/arm64")
    graph = expand_platforms(_graph(tmp_path, config, files), AMD64, _engine())
    assert graph.dependencies("app") == ("tool@linux/arm64",)
    assert graph.dependencies("app@linux/arm64") == ("tool@linux/arm64",)
    assert rewritten_text(graph.nodes["app"]).startswith(
        "FROM --platform=linux/arm64 shop/tool:dev-linux-arm64 AS build\n"
    )


def test_a_build_platform_toolchain_the_machine_lacks_is_refused_naming_it(
    tmp_path: Path,
) -> None:
    config = CROSS.replace(
        'repository = "shop/tool"', 'repository = "shop/tool"\nplatforms = ["linux/arm64"]'
    )
    with pytest.raises(GraphError) as refused:
        expand_platforms(_graph(tmp_path, config, CROSS_FILES), AMD64, _engine())
    message = str(refused.value)
    assert "image app is built for linux/amd64 on tool" in message
    assert "reads it for linux/amd64" not in message  # the same platform: said once
    assert "which is built only for linux/arm64" in message
