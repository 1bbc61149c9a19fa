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
from typing import Protocol

from builder.buildkit import check_buildkit_can_parse, resolve_builder
from builder.config import ImageSpec
from builder.digest import ContextSnapshot, StatCache, input_digest, snapshot_context
from builder.dockerignore import DockerIgnore
from builder.errors import ConfigError, UsageError
from builder.graph import Graph, ImageNode
from builder.pool import Candidate, Move, Pool, choose

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
    engine: str | None = None  # where it is expected to build (or is found), in a pool
    moves: tuple[Move, ...] = ()  # images expected to be copied there first


class ImageLookup(Protocol):
    def image_id(self, ref: str) -> str | None: ...


@dataclass(frozen=True)
class Plan:
    graph: Graph
    images: tuple[PlannedImage, ...]
    engine_url: str
    engines: tuple[tuple[str, str], ...] = ()  # (name, url) of each pool engine, when several

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
    """Snapshots contexts and resolves base image IDs once per run; thread-safe.

    A base's ID is what its ref names on the first engine of the pool that has it: builds on
    other engines get that same image moved to them, so the digest says what is built.
    """

    def __init__(self, lookup: ImageLookup) -> None:
        self.lookup = lookup
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
        ignore = DockerIgnore.for_context(spec.context)
        snapshot = snapshot_context(spec.context, ignore, StatCache(spec.context))
        with self._lock:
            self._snapshots[key] = snapshot
        return snapshot

    def external_base_id(self, ref: str) -> str:
        with self._lock:
            known = self._bases.get(ref)
        if known is not None:
            return known
        image_id = self.lookup.image_id(ref) or MISSING
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


def choose_builder(
    spec: ImageSpec, requested: str, api_version: str, *, tls: bool = False
) -> tuple[str, str]:
    """The builder for `spec`; secrets need BuildKit, which can keep them out of the image.

    The BuildKit client is given the engine's URL only, so a pool with a TLS engine builds
    with the classic builder.
    """
    chosen, why = resolve_builder(requested, api_version)
    if tls and chosen == "buildkit":
        if requested == "buildkit":
            raise UsageError(
                f"images.{spec.name}: BuildKit builds on an engine with TLS settings are not "
                "supported yet",
                hint='use builder = "classic" for this pool',
            )
        chosen, why = "classic", "auto: a pool engine uses TLS; the BuildKit client gets no TLS"
    if spec.secrets and chosen == "classic":
        raise ConfigError(
            f"images.{spec.name}.secrets: the classic builder cannot pass secrets without "
            "leaving them in build args or layers",
            hint='use builder = "buildkit" (it needs a docker client that drives BuildKit)',
        )
    return chosen, why


def _check_classic_can_build(node: ImageNode, why: str) -> None:
    """Fail before any work when the Dockerfile uses what only BuildKit understands.

    The classic builder builds every stage up to the target, so only stages after it are
    exempt.
    """
    dockerfile = node.dockerfile
    target = dockerfile.stage_by_reference(node.spec.target) if node.spec.target else None
    last = target.index if target is not None else len(dockerfile.stages) - 1
    for instruction in dockerfile.instructions:
        if instruction.keyword != "RUN" or instruction.stage > last:
            continue
        if instruction.flag("mount") is not None:
            feature = "RUN --mount"
        elif instruction.heredocs:
            feature = "a RUN heredoc"
        else:
            continue
        raise UsageError(
            f"{feature} needs BuildKit, and image {node.spec.name} builds with the classic "
            f"builder ({why})",
            path=node.dockerfile_origin,
            line=instruction.line,
            hint=f'set builder = "buildkit" for images.{node.spec.name}, or use a plain RUN',
        )


def _holders(pool: Pool, digest: str, refs: tuple[str, ...]) -> Mapping[str, str]:
    """Engine -> the image built from `digest` there; one inspect when its tags show it."""
    quick = pool.quick_match(digest, refs)
    if quick is not None:
        return {pool.members[0].name: quick}
    return pool.with_digest(digest)


def make_plan(
    graph: Graph,
    resolver: InputResolver,
    pool: Pool,
    *,
    no_cache: bool = False,
    extra_labels: Mapping[str, Mapping[str, str]] | None = None,
    builder: str | None = None,
) -> Plan:
    """Resolve every image's inputs as far as they are known now, without building.

    `builder` (from --builder) overrides each image's own choice. In a pool, each image also
    gets the engine it is expected to go to and the moves that needs (see `_Placer`).
    """
    planned: dict[str, PlannedImage] = {}
    api_version = pool.api_version()
    tls = any(member.engine.tls is not None for member in pool.members)
    placer = _Placer(pool, graph, resolver, planned)
    for name in graph.order():
        node = graph.nodes[name]
        chosen, why = choose_builder(node.spec, builder or node.spec.builder, api_version, tls=tls)
        if chosen == "classic":
            _check_classic_can_build(node, why)
        else:
            check_buildkit_can_parse(node, [m.engine.info().version for m in pool.up()])
        dependencies = graph.dependencies(name)
        known_ids = {
            dep: planned[dep].existing_image
            for dep in dependencies
            if planned[dep].action is Action.SKIP
        }
        digest = None
        existing = None
        found: Mapping[str, str] = {}
        if len(known_ids) < len(dependencies):
            rebuilt = [dep for dep in dependencies if dep not in known_ids]
            action, reason = Action.BUILD, f"dependency rebuilt: {', '.join(rebuilt)}"
        else:
            ids = {dep: image_id for dep, image_id in known_ids.items() if image_id}
            digest = resolver.digest(node, ids)
            found = {} if no_cache else _holders(pool, digest, applied_refs(graph, name))
            existing = next(iter(found.values()), None)
            if no_cache:
                action, reason = Action.BUILD, "--no-cache"
            elif existing:
                action, reason = Action.SKIP, "inputs unchanged"
            else:
                action, reason = Action.BUILD, "inputs changed or never built"
        engine, moves = placer.place(name, found if action is Action.SKIP else {})
        if existing and engine is not None and engine not in found:
            reason = f"inputs unchanged on {next(iter(found))}"
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
            engine=engine,
            moves=moves,
        )
    engines = tuple((m.name, m.url) for m in pool.members) if pool.is_pool else ()
    return Plan(
        graph=graph, images=tuple(planned.values()), engine_url=pool.primary.url, engines=engines
    )


class _Placer:
    """Predicts where each image of the plan goes, as the scheduler would place it with every
    engine free: the preferences of `pool.choose`, with the load spread by the builds already
    given to each engine. The run may differ where timing does (a busy engine is not waited
    for)."""

    def __init__(
        self, pool: Pool, graph: Graph, resolver: InputResolver, planned: Mapping[str, PlannedImage]
    ) -> None:
        self.pool = pool
        self.graph = graph
        self.resolver = resolver
        self.planned = planned
        self.load = {member.name: 0 for member in pool.members}
        self.copies: dict[str, list[str]] = {}  # image or base -> engines it will be moved to

    def place(self, name: str, found: Mapping[str, str]) -> tuple[str | None, tuple[Move, ...]]:
        if not self.pool.is_pool:
            return None, ()
        spec = self.graph.nodes[name].spec
        up = [
            member for member in self.pool.up() if spec.engine is None or member.name == spec.engine
        ]
        if not up:
            return None, ()
        if found and spec.engine is None:
            up = [member for member in up if member.name in found] or up
        locations = self._locations(name)
        chosen = choose(
            [
                Candidate(
                    name=member.name,
                    holds_digest=member.name in found,
                    dependencies_held=sum(member.name in where for where in locations.values()),
                    affinity=self.pool.has_repository(member.name, spec.repository),
                    free=-self.load[member.name] / (member.jobs or 1),
                )
                for member in up
            ]
        )
        assert chosen is not None
        via = "registry" if self.pool.transfer_registry else "stream"
        moves = [
            Move(image, where[0], chosen, via)
            for image, where in locations.items()
            if where and chosen not in where
        ]
        for move in moves:
            self.copies.setdefault(move.image, []).append(chosen)
        if found and chosen not in found:
            moves.append(Move(name, next(iter(found)), chosen, via))
        else:
            self.load[chosen] += 0 if found else 1
        return chosen, tuple(moves)

    def _locations(self, name: str) -> dict[str, list[str]]:
        """Each dependency's and base's engines: where it is, or is expected to be built."""
        where: dict[str, list[str]] = {}
        for dependency in self.graph.dependencies(name):
            planned = self.planned[dependency]
            held = self.pool.holders(planned.existing_image) if planned.existing_image else []
            expected = [planned.engine] if planned.engine else []
            copies = self.copies.get(dependency, [])
            where[dependency] = list(dict.fromkeys([*expected, *held, *copies]))
        for ref in self.graph.nodes[name].external_bases:
            image_id = self.resolver.external_base_id(ref)
            if image_id != MISSING:
                where[ref] = [*self.pool.holders(image_id), *self.copies.get(ref, [])]
        return where
