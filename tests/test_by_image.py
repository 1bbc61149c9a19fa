"""A run with platform variants, seen by image: labels, overall statuses, the image graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.by_image import headline, image_graph, image_statuses, label
from builder.events import ImageResult, Status
from builder.graph import Graph
from builder.graph_output import as_dot, as_mermaid
from builder.variants import expand_platforms
from tests.test_variants import AMD64, BASE_AND_APP, FILES, _engine, _graph

# base and app for linux/amd64 (the engine's own: the primary variants, keyed by the image's
# name) and linux/arm64; app's arm64 variant failed.
VARIANT_RESULTS = (
    ImageResult("base", Status.BUILT, seconds=1.0, platform="linux/amd64"),
    ImageResult("base@linux/arm64", Status.BUILT, seconds=3.0, platform="linux/arm64"),
    ImageResult("app", Status.SKIPPED, reason="unchanged", platform="linux/amd64"),
    ImageResult(
        "app@linux/arm64",
        Status.FAILED,
        seconds=2.0,
        error="exit 3",
        failed_step="Step 2/2 : RUN uname -m",
        platform="linux/arm64",
    ),
)


def variant_graph(tmp_path: Path) -> Graph:
    return expand_platforms(_graph(tmp_path, BASE_AND_APP, FILES), AMD64, _engine())


@pytest.fixture
def variants(tmp_path: Path) -> Graph:
    return variant_graph(tmp_path)


def test_a_variant_is_labelled_with_its_image_and_platform() -> None:
    assert label("app@linux/arm64", "linux/arm64") == "app (linux/arm64)"
    assert label("app", "linux/amd64") == "app (linux/amd64)"
    assert label("app", None) == "app"


@pytest.mark.parametrize(
    ("statuses", "overall"),
    [
        ((Status.BUILT, Status.FAILED), "failed"),
        ((Status.FAILED, Status.NOT_STARTED), "failed"),
        ((Status.BUILT, Status.NOT_STARTED), "not-started"),
        ((Status.SKIPPED, Status.BUILT), "built"),
        ((Status.SKIPPED, Status.SKIPPED), "skipped"),
    ],
)
def test_an_image_shows_its_worst_variant(statuses: tuple[Status, ...], overall: str) -> None:
    results = [
        ImageResult("web", statuses[0], platform="linux/amd64"),
        ImageResult("web@linux/arm64", statuses[1], platform="linux/arm64"),
        ImageResult("db", Status.SKIPPED),
    ]
    assert image_statuses(results) == {"web": overall, "db": "skipped"}


def test_the_headline_counts_images_and_builds() -> None:
    assert headline(VARIANT_RESULTS) == "2 images (4 builds), 1 failed"
    assert headline(VARIANT_RESULTS[:1]) == "1 images"


def test_the_graph_of_images_has_one_box_per_image_coloured_by_its_worst_variant(
    variants: Graph,
) -> None:
    graph = image_graph(variants)
    assert list(graph.nodes) == ["base", "app"]
    assert graph.dependencies("app") == ("base",)
    assert len(graph.edges) == 2  # FROM and COPY --from, once each, not once per platform
    dot = as_dot(graph, image_statuses(VARIANT_RESULTS))
    assert "@" not in dot
    assert '"app" [label="app\\nshop/app\\ntags: latest\\nfailed", fillcolor="#f4a6a6"];' in dot
    mermaid = as_mermaid(graph, image_statuses(VARIANT_RESULTS))
    assert mermaid.splitlines()[1:3] == ['  n0["base"]', '  n1["app"]']
    assert "class n1 failed" in mermaid and "class n0 built" in mermaid


def test_a_graph_without_variants_is_its_own_graph_of_images(tmp_path: Path) -> None:
    graph = _graph(
        tmp_path, BASE_AND_APP.replace('platforms = ["linux/amd64", "linux/arm64"]', ""), FILES
    )
    assert image_graph(graph) is graph
