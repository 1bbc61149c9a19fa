"""The image graph: which image of the config needs which, and in what order to build them.

Edges are inferred from each Dockerfile: a `FROM`, `COPY --from` or `RUN --mount=from=` that
names another image's repository (any tag, after ARG substitution with the image's args) makes
that image a dependency. Only the stages the image's build runs count: a later stage, or for
BuildKit a stage its target does not read, may name images this one never needs (see
`Dockerfile.needed_stages`). The graph is built before a builder is resolved against an engine,
so it goes by the image's builder as configured, or as `--builder` sets it for a run (applied to
the config first, see `builder.build.load_graph`): `buildkit` gives BuildKit's stages, `classic`
and `auto` the classic builder's (every stage up to the target), which hold BuildKit's too.
`depends_on` adds explicit edges. Cycles are named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from builder.config import Config, ImageSpec
from builder.dockerfile import Dockerfile, Stage, parse_dockerfile, read_dockerfile
from builder.errors import GraphError, TemplateError
from builder.platforms import Platform
from builder.refs import parse_ref, split_registry
from builder.suggest import hint_for


@dataclass(frozen=True)
class Edge:
    dependency: str
    dependent: str
    reason: str  # e.g. "FROM shop/base:dev (line 3)" or "depends_on"
    ref: str | None = None  # the reference the dependent's Dockerfile uses, when inferred


@dataclass(frozen=True)
class ImageNode:
    spec: ImageSpec
    dockerfile: Dockerfile
    dockerfile_text: str
    dockerfile_origin: Path  # the Dockerfile, or the template it was rendered from
    external_bases: tuple[str, ...] = ()  # images read from outside the graph
    # Set on the variants of an image with `platforms` (see builder.variants): the platform
    # it is built for, whether the configured tags point at it, and the refs its Dockerfile
    # reads that are sent as another ref (another image's variant for this platform).
    platform: Platform | None = None
    primary: bool = True
    rewrites: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Adjacency:
    dependencies: Mapping[str, tuple[str, ...]]
    dependents: Mapping[str, tuple[str, ...]]
    referenced_refs: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Graph:
    nodes: Mapping[str, ImageNode]
    edges: tuple[Edge, ...]

    @cached_property
    def _adjacency(self) -> _Adjacency:
        # One pass over the edges, so lookups stay cheap on graphs of thousands of images.
        dependencies: dict[str, set[str]] = defaultdict(set)
        dependents: dict[str, set[str]] = defaultdict(set)
        refs: dict[str, set[str]] = defaultdict(set)
        for edge in self.edges:
            dependencies[edge.dependent].add(edge.dependency)
            dependents[edge.dependency].add(edge.dependent)
            if edge.ref:
                refs[edge.dependency].add(edge.ref)
        return _Adjacency(
            dependencies={name: tuple(sorted(deps)) for name, deps in dependencies.items()},
            dependents={name: tuple(sorted(deps)) for name, deps in dependents.items()},
            referenced_refs={name: tuple(sorted(found)) for name, found in refs.items()},
        )

    def dependencies(self, name: str) -> tuple[str, ...]:
        return self._adjacency.dependencies.get(name, ())

    def dependents(self, name: str) -> tuple[str, ...]:
        return self._adjacency.dependents.get(name, ())

    def referenced_refs(self, name: str) -> tuple[str, ...]:
        """The refs of `name` its dependents' Dockerfiles use: they must point at this build."""
        return self._adjacency.referenced_refs.get(name, ())

    def order(self) -> list[str]:
        """A topological order, dependencies first, ties broken by name for stable output."""
        remaining = {name: set(self.dependencies(name)) for name in self.nodes}
        ordered: list[str] = []
        while remaining:
            ready = sorted(name for name, deps in remaining.items() if not deps)
            if not ready:
                raise GraphError(f"the images form a cycle: {' -> '.join(_find_cycle(remaining))}")
            for name in ready:
                ordered.append(name)
                del remaining[name]
            for deps in remaining.values():
                deps.difference_update(ready)
        return ordered

    def levels(self) -> list[list[str]]:
        """`order()` in waves: each image after every wave holding one of its dependencies,
        so the images of a wave can be resolved at once."""
        depth: dict[str, int] = {}
        for name in self.order():
            depth[name] = 1 + max((depth[dep] for dep in self.dependencies(name)), default=-1)
        waves: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
        for name, level in depth.items():
            waves[level].append(name)
        return waves

    def select(self, names: Sequence[str]) -> Graph:
        """The subgraph of `names` and everything they need."""
        for name in names:
            if name not in self.nodes:
                hint = hint_for(name, self.nodes, "images")
                raise GraphError(f"no image named {name!r} in the config", hint=hint)
        keep: set[str] = set()
        stack = list(names)
        while stack:
            name = stack.pop()
            if name not in keep:
                keep.add(name)
                stack.extend(self.dependencies(name))
        return Graph(
            nodes={n: node for n, node in self.nodes.items() if n in keep},
            edges=tuple(e for e in self.edges if e.dependent in keep),
        )


def _find_cycle(remaining: Mapping[str, set[str]]) -> list[str]:
    start = sorted(remaining)[0]
    path: list[str] = []
    seen: dict[str, int] = {}
    node = start
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = sorted(remaining[node])[0]
    return [*path[seen[node] :], node]


def load_dockerfile(spec: ImageSpec, config: Config) -> tuple[Dockerfile, str, Path]:
    """The image's Dockerfile (rendered when it names a template), its text and its origin."""
    if spec.template is not None:
        try:
            from builder.templates import render_image_dockerfile  # type: ignore[attr-defined,unused-ignore]
        except ImportError as error:
            raise TemplateError(
                "templated Dockerfiles are not available in this installation",
                path=config.path,
            ) from error
        rendered = render_image_dockerfile(spec, config)
        return (
            parse_dockerfile(rendered.text, rendered.template_path),
            rendered.text,
            (rendered.template_path),
        )
    assert spec.dockerfile is not None
    dockerfile = read_dockerfile(spec.dockerfile)
    return dockerfile, dockerfile.text, spec.dockerfile


def build_graph(config: Config) -> Graph:
    """Parse every image's Dockerfile and infer the edges between them."""
    nodes: dict[str, ImageNode] = {}
    edges: list[Edge] = []
    owners = {split_registry(spec.repository): spec for spec in config.images.values()}
    for name, spec in config.images.items():
        dockerfile, text, origin = load_dockerfile(spec, config)
        external: list[str] = []
        for reference, line in dockerfile.external_images(
            spec.args, built_stages(spec, dockerfile)
        ):
            owner = _owner(reference, owners)
            if owner is None:
                external.append(reference)
            elif owner.name != name:
                edges.append(
                    Edge(
                        dependency=owner.name,
                        dependent=name,
                        reason=f"{reference} ({origin.name}:{line})",
                        ref=with_tag(reference),
                    )
                )
        for dependency in spec.depends_on:
            edges.append(Edge(dependency=dependency, dependent=name, reason="depends_on"))
        nodes[name] = ImageNode(
            spec=spec,
            dockerfile=dockerfile,
            dockerfile_text=text,
            dockerfile_origin=origin,
            external_bases=tuple(dict.fromkeys(external)),
        )
    graph = Graph(nodes=nodes, edges=tuple(_unique(edges)))
    graph.order()  # raises on a cycle, before any work
    return graph


def built_stages(spec: ImageSpec, dockerfile: Dockerfile) -> tuple[Stage, ...]:
    buildkit = spec.builder == "buildkit"
    return dockerfile.needed_stages(spec.target, spec.args, buildkit=buildkit)


def _owner(reference: str, owners: Mapping[tuple[str, str], ImageSpec]) -> ImageSpec | None:
    """The config image whose repository `reference` names (normalised as Docker does)."""
    parsed = parse_ref(reference)
    if parsed is None:
        return None
    return owners.get(split_registry(parsed.repository))


def with_tag(reference: str) -> str | None:
    parsed = parse_ref(reference)
    if parsed is None or parsed.digest:
        return None  # a digest pins content; no tag of ours can satisfy it
    return f"{parsed.repository}:{parsed.tag_or_latest}"


def _unique(edges: Iterable[Edge]) -> list[Edge]:
    seen: set[tuple[str, str, str]] = set()
    result = []
    for edge in edges:
        key = (edge.dependency, edge.dependent, edge.reason)
        if key not in seen:
            seen.add(key)
            result.append(edge)
    return result
