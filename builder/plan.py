"""What a build will do: for each image in order, its inputs, its digest and whether it is skipped.

The `InputResolver` computes input digests; the plan uses it up front (`build --print`) and the
scheduler again as each image's dependencies finish, since a dependency's image ID is an input of
its dependents and is only known once that dependency is built or found.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from builder.buildkit import resolve_builder
from builder.config import ImageSpec
from builder.digest import ContextSnapshot, StatCache, input_digest, snapshot_context
from builder.dockerignore import DockerIgnore
from builder.engine import Engine
from builder.errors import ConfigError
from builder.graph import Graph, ImageNode

MISSING = "missing"


class Action(Enum):
    BUILD = "build"
    SKIP = "skip"


@dataclass(frozen=True)
class PlannedImage:
    name: str
    spec: ImageSpec
    dependencies: tuple[str, ...]
    refs: tuple[str, ...]  # every local ref the build applies
    action: Action
    reason: str
    input_digest: str | None = None  # None while a dependency is still to be built
    existing_image: str | None = None
    # Labels describing the build (OCI revision, created, ...), deliberately not inputs: a new
    # commit that changes nothing of an image must not rebuild it.
    extra_labels: Mapping[str, str] = field(default_factory=dict)
    builder: str = "classic"  # classic or buildkit, as resolved for this engine
    builder_reason: str = ""


@dataclass(frozen=True)
class Plan:
    graph: Graph
    images: tuple[PlannedImage, ...]
    engine_url: str

    def image(self, name: str) -> PlannedImage:
        return next(image for image in self.images if image.name == name)


def applied_refs(graph: Graph, name: str) -> tuple[str, ...]:
    """The image's configured tags, plus any ref its dependents' Dockerfiles read it by."""
    spec = graph.nodes[name].spec
    return tuple(dict.fromkeys((*spec.refs, *graph.referenced_refs(name))))


def build_labels(spec: ImageSpec) -> dict[str, str]:
    """Labels every build gets; part of the input digest (the digest label itself is not).

    The classic builder turns each label into a step of its own, so only labels that carry
    information are added.
    """
    return dict(spec.labels)


class InputResolver:
    """Snapshots contexts and resolves base image IDs once per run; thread-safe."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._snapshots: dict[tuple[Path, Path | None], ContextSnapshot] = {}
        self._bases: dict[str, str] = {}
        self._lock = threading.Lock()

    def snapshot(self, node: ImageNode) -> ContextSnapshot:
        spec = node.spec
        key = (spec.context, spec.dockerfile)
        with self._lock:
            cached = self._snapshots.get(key)
        if cached is not None:
            return cached
        ignore = DockerIgnore.for_context(spec.context, spec.dockerfile)
        snapshot = snapshot_context(spec.context, ignore, StatCache(spec.context))
        with self._lock:
            self._snapshots[key] = snapshot
        return snapshot

    def external_base_id(self, ref: str) -> str:
        with self._lock:
            known = self._bases.get(ref)
        if known is not None:
            return known
        image_id = self.engine.image_id(ref) or MISSING
        with self._lock:
            self._bases[ref] = image_id
        return image_id

    def forget_base(self, ref: str) -> None:
        with self._lock:
            self._bases.pop(ref, None)

    def digest(self, node: ImageNode, dependency_ids: Mapping[str, str]) -> str:
        spec = node.spec
        bases = {ref: self.external_base_id(ref) for ref in node.external_bases}
        bases.update({f"image:{name}": image_id for name, image_id in dependency_ids.items()})
        return input_digest(
            dockerfile_text=node.dockerfile_text,
            context_digest=self.snapshot(node).digest,
            args=spec.args,
            target=spec.target,
            base_image_ids=bases,
            labels=build_labels(spec),
            network=spec.network,
            secret_names=[secret.name for secret in spec.secrets],
        )


def choose_builder(spec: ImageSpec, requested: str, api_version: str) -> tuple[str, str]:
    """The builder for `spec`; secrets need BuildKit, which can keep them out of the image."""
    chosen, why = resolve_builder(requested, api_version)
    if spec.secrets and chosen == "classic":
        raise ConfigError(
            f"images.{spec.name}.secrets: the classic builder cannot pass secrets without "
            "leaving them in build args or layers",
            hint="use builder = \"buildkit\" (it needs a docker client that drives BuildKit)",
        )
    return chosen, why


def make_plan(
    graph: Graph,
    resolver: InputResolver,
    *,
    no_cache: bool = False,
    extra_labels: Mapping[str, Mapping[str, str]] | None = None,
    builder: str | None = None,
) -> Plan:
    """Resolve every image's inputs as far as they are known now, without building.

    `builder` (from --builder) overrides each image's own choice.
    """
    planned: dict[str, PlannedImage] = {}
    api_version = resolver.engine.info().api_version
    for name in graph.order():
        node = graph.nodes[name]
        chosen, why = choose_builder(node.spec, builder or node.spec.builder, api_version)
        dependencies = graph.dependencies(name)
        known_ids = {
            dep: planned[dep].existing_image
            for dep in dependencies
            if planned[dep].action is Action.SKIP
        }
        digest = None
        existing = None
        if len(known_ids) < len(dependencies):
            rebuilt = [dep for dep in dependencies if dep not in known_ids]
            action, reason = Action.BUILD, f"dependency rebuilt: {', '.join(rebuilt)}"
        else:
            ids = {dep: image_id for dep, image_id in known_ids.items() if image_id}
            digest = resolver.digest(node, ids)
            existing = None if no_cache else resolver.engine.find_by_input_digest(digest)
            if no_cache:
                action, reason = Action.BUILD, "--no-cache"
            elif existing:
                action, reason = Action.SKIP, "inputs unchanged"
            else:
                action, reason = Action.BUILD, "inputs changed or never built"
        planned[name] = PlannedImage(
            name=name,
            spec=node.spec,
            dependencies=dependencies,
            refs=applied_refs(graph, name),
            action=action,
            reason=reason,
            input_digest=digest,
            existing_image=existing,
            extra_labels=dict((extra_labels or {}).get(name, {})),
            builder=chosen,
            builder_reason=why,
        )
    return Plan(graph=graph, images=tuple(planned.values()), engine_url=resolver.engine.url)
