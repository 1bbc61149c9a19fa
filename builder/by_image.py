"""A run's results by image, for the reports: a platform variant (keyed `web@linux/arm64`, see
`builder.variants`) is shown as its image and its platform, and the graph is drawn one box per
image, coloured by the image's overall status (failed when any of its variants failed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from builder.events import ImageResult, Status
from builder.graph import Edge, Graph
from builder.platforms import image_of

# The status an image shows over its variants: the first of these any variant has.
_OVERALL = (Status.FAILED, Status.NOT_STARTED, Status.BUILT, Status.SKIPPED)


def label(name: str, platform: str | None) -> str:
    """`web (linux/arm64)` for a variant; an image built for no named platform is its name."""
    return f"{image_of(name)} ({platform})" if platform else image_of(name)


def result_label(result: ImageResult) -> str:
    return label(result.name, result.platform)


def has_platforms(results: Iterable[ImageResult]) -> bool:
    return any(result.platform for result in results)


def image_statuses(results: Iterable[ImageResult]) -> dict[str, str]:
    """Each image's status over its variants: failed if one failed, else not started if one
    was not, else built if one was built, else skipped."""
    seen: dict[str, set[Status]] = {}
    for result in results:
        seen.setdefault(image_of(result.name), set()).add(result.status)
    return {
        image: next(status.value for status in _OVERALL if status in statuses)
        for image, statuses in seen.items()
    }


def headline(results: Sequence[ImageResult]) -> str:
    """`3 images, 1 failed`; with variants `2 images (4 builds), 1 failed`, an image failing
    when one of its variants did."""
    statuses = image_statuses(results)
    text = f"{len(statuses)} images"
    if len(results) != len(statuses):
        text += f" ({len(results)} builds)"
    failed = sum(1 for status in statuses.values() if status == Status.FAILED.value)
    return text + (f", {failed} failed" if failed else "")


def image_graph(graph: Graph) -> Graph:
    """The run's graph with one node per image (its primary variant) and the edges between
    images; a graph without variants is returned as it is."""
    if all(image_of(name) == name for name in graph.nodes):
        return graph
    nodes = {name: node for name, node in graph.nodes.items() if image_of(name) == name}
    edges: dict[tuple[str, str, str], Edge] = {}
    for edge in graph.edges:
        dependency, dependent = image_of(edge.dependency), image_of(edge.dependent)
        key = (dependency, dependent, edge.reason)
        edges.setdefault(key, Edge(dependency, dependent, edge.reason, edge.ref))
    return Graph(nodes=nodes, edges=tuple(edges.values()))


def platforms_of(graph: Graph) -> Mapping[str, str]:
    """Each run key's platform, for keys that have one (the primary variant's key is the
    image's name, so its platform is only known from the graph)."""
    return {name: str(node.platform) for name, node in graph.nodes.items() if node.platform}
