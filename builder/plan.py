"""What a build will do: for each image in order, its builder, its input digest as far as it is
known, whether it is skipped and, in a pool, where it is expected to go (`build --print`)."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING

from builder.buildkit import check_buildkit_can_parse, resolve_builder
from builder.cache_refs import CacheEntry, entry_ref, newest_ref
from builder.config import ImageSpec
from builder.errors import ConfigError, UsageError
from builder.graph import Graph, ImageNode
from builder.inputs import InputResolver
from builder.placement import Predictor
from builder.platforms import Platform, variant_ref
from builder.pool import Move, Pool, eligible_members

if TYPE_CHECKING:
    from builder.remote_cache import RemoteCache


class Action(Enum):
    BUILD = "build"
    SKIP = "skip"
    PULL = "pull"  # from the remote cache, into the engine
    COPY = "copy"  # from the remote cache to the release registry at publish; never local


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
    platform: Platform | None = None  # None: the engine's own, as no platform was asked for
    cache_entry: CacheEntry | None = None  # the remote cache's image of these inputs (a hit)
    cache_from: str | None = None  # a miss: the cache ref its build draws layers from

    @property
    def known_image(self) -> str | None:
        """The ID it will have before anything is built: found locally or in the cache."""
        if self.action is Action.SKIP:
            return self.existing_image
        return self.cache_entry.image_id if self.cache_entry is not None else None

    @property
    def image(self) -> str:
        """The config's image this is (a platform variant's key is `NAME@PLATFORM`)."""
        return self.spec.name


@dataclass(frozen=True)
class Plan:
    graph: Graph
    images: tuple[PlannedImage, ...]
    engine_url: str
    engines: tuple[tuple[str, str], ...] = ()  # (name, url) of each pool engine, when several

    def image(self, name: str) -> PlannedImage:
        return next(image for image in self.images if image.name == name)


def applied_refs(graph: Graph, name: str) -> tuple[str, ...]:
    """The image's configured tags, plus any ref its dependents' Dockerfiles read it by; for a
    platform variant other than the primary one, each tag with the platform appended."""
    node = graph.nodes[name]
    refs = node.spec.refs
    if not node.primary and node.platform is not None:
        refs = tuple(variant_ref(ref, node.platform) for ref in refs)
    return tuple(dict.fromkeys((*refs, *graph.referenced_refs(name))))


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


def check_platform(node: ImageNode, builder: str, pool: Pool) -> None:
    """Fail before any work when no engine can build the variant's platform, or when the
    classic builder would have to cross-build (it cannot)."""
    platform, spec = node.platform, node.spec
    assert platform is not None
    members = eligible_members(pool.up(), spec.engine, platform, emulation=spec.emulation)
    if not members:
        engines = "; ".join(
            f"{member.name} builds {member.build_platforms().describe()}" for member in pool.up()
        )
        if not spec.emulation:
            hint = f"emulation = false on images.{spec.name}: add an engine native to {platform}"
        else:
            hint = "register qemu's binfmt handlers (scripts/services.sh start does, as root), "
            hint += "or declare platforms for a pool engine that builds it"
        raise UsageError(
            f"image {spec.name}: no engine can build {platform} ({engines})", hint=hint
        )
    if builder == "classic" and not all(
        member.build_platforms().is_native(platform) for member in members
    ):
        raise UsageError(
            f"image {spec.name}: the classic builder cannot build for {platform}, which is "
            "emulated here (it cannot cross-build)",
            hint=f'use builder = "buildkit" for images.{spec.name}, or remove {platform}',
        )


def newest_cache_ref(node: ImageNode) -> str | None:
    """The moving ref of the image's newest cache entry (its platform's, for a variant other
    than the primary one); None without a cache."""
    if node.spec.cache is None:
        return None
    platform = None if node.primary else node.platform
    return newest_ref(node.spec.cache, node.spec.repository, platform)


def _copy_what_nothing_builds_on(graph: Graph, planned: dict[str, PlannedImage]) -> None:
    """A cache hit is pulled only when an image built here needs it; else, at publish, its
    refs are copied from the cache registry-side and no layer passes through the engine. An
    image's platform variants go together: copied when every one of them can be (its index is
    then made of the cache's manifests), else all pulled or built (made from local images)."""
    images: dict[str, list[str]] = {}
    for name in planned:
        images.setdefault(graph.nodes[name].spec.name, []).append(name)
    for names in images.values():
        if all(_copyable(graph, planned, name) for name in names):
            for name in names:
                image = planned[name]
                reason = f"{image.reason} (copied at publish)"
                planned[name] = replace(image, action=Action.COPY, reason=reason)


def _copyable(graph: Graph, planned: Mapping[str, PlannedImage], name: str) -> bool:
    return planned[name].action is Action.PULL and not any(
        planned[dependent].action is Action.BUILD for dependent in graph.dependents(name)
    )


def _holders(pool: Pool, digest: str, refs: tuple[str, ...]) -> Mapping[str, str]:
    """Engine -> the image built from `digest` there; one inspect when its tags show it."""
    quick = pool.quick_match(digest, refs)
    if quick is not None:
        return {pool.members[0].name: quick}
    return pool.with_digest(digest)


def _skip_or_build(
    node: ImageNode,
    dependencies: tuple[str, ...],
    refs: tuple[str, ...],
    planned: Mapping[str, PlannedImage],
    resolver: InputResolver,
    pool: Pool,
    *,
    no_cache: bool,
) -> tuple[Action, str, str | None, Mapping[str, str]]:
    """Action, reason, input digest (None while a dependency is rebuilt) and, when skipped,
    engine -> the image already built from these inputs there."""
    known_ids = {
        dep: planned[dep].known_image
        for dep in dependencies
        if planned[dep].action is not Action.BUILD
    }
    if len(known_ids) < len(dependencies):
        rebuilt = [dep for dep in dependencies if dep not in known_ids]
        return Action.BUILD, f"dependency rebuilt: {', '.join(rebuilt)}", None, {}
    ids = {dep: image_id for dep, image_id in known_ids.items() if image_id}
    digest = resolver.digest(node, ids)
    if no_cache:
        return Action.BUILD, "--no-cache", digest, {}
    found = _holders(pool, digest, refs)
    if found:
        return Action.SKIP, "inputs unchanged", digest, found
    return Action.BUILD, "inputs changed or never built", digest, {}


@dataclass(frozen=True)
class _Decided:
    """What is known of an image before the cache is asked."""

    builder: str
    builder_reason: str
    dependencies: tuple[str, ...]
    refs: tuple[str, ...]
    action: Action
    reason: str
    digest: str | None
    found: Mapping[str, str]  # engine -> the image built from these inputs there


class _Planner:
    """Plans one image at a time, in dependency order, into `planned`."""

    def __init__(
        self,
        graph: Graph,
        resolver: InputResolver,
        pool: Pool,
        planned: dict[str, PlannedImage],
        *,
        builder: str | None,
        no_cache: bool,
    ) -> None:
        self.graph, self.resolver, self.pool, self.planned = graph, resolver, pool, planned
        self.builder, self.no_cache = builder, no_cache
        self.api_version = pool.api_version()
        self.tls = any(member.engine.tls is not None for member in pool.members)
        self.placer = Predictor(pool, graph, resolver, planned)

    def decide(self, name: str) -> _Decided:
        """Builder checks, then skip or build; raises before any work on what cannot build."""
        node = self.graph.nodes[name]
        requested = self.builder or node.spec.builder
        chosen, why = choose_builder(node.spec, requested, self.api_version, tls=self.tls)
        if node.platform is not None:
            check_platform(node, chosen, self.pool)
        if chosen == "classic":
            _check_classic_can_build(node, why)
        else:
            check_buildkit_can_parse(node, [m.engine.info().version for m in self.pool.up()])
        dependencies = self.graph.dependencies(name)
        refs = applied_refs(self.graph, name)
        action, reason, digest, found = _skip_or_build(
            node, dependencies, refs, self.planned, self.resolver, self.pool, no_cache=self.no_cache
        )
        return _Decided(chosen, why, dependencies, refs, action, reason, digest, found)

    def image(
        self,
        name: str,
        decided: _Decided,
        entry: CacheEntry | None,
        labels: Mapping[str, str],
        cache: RemoteCache | None,
    ) -> PlannedImage:
        node = self.graph.nodes[name]
        action, reason, found = decided.action, decided.reason, decided.found
        if entry is not None:
            action, reason = Action.PULL, f"in the cache: {entry.ref}"
        existing = next(iter(found.values()), None)
        engine, moves = self.placer.place(name, found)
        if existing and engine is not None and engine not in found:
            reason = f"inputs unchanged on {next(iter(found))}"
        return PlannedImage(
            name=name,
            spec=node.spec,
            dependencies=decided.dependencies,
            refs=decided.refs,
            action=action,
            reason=reason,
            input_digest=decided.digest,
            existing_image=existing,
            extra_labels=labels,
            builder=decided.builder,
            builder_reason=decided.builder_reason,
            engine=engine,
            moves=moves,
            platform=node.platform,
            cache_entry=entry,
            cache_from=newest_cache_ref(node) if action is Action.BUILD and cache else None,
        )


def _look_up(
    graph: Graph, decided: Mapping[str, _Decided], cache: RemoteCache | None
) -> dict[str, CacheEntry]:
    """The cache's hits among the images to build whose inputs are known: asked all at once."""
    wanted: dict[str, tuple[str, str]] = {}
    for name, decision in decided.items():
        settings = graph.nodes[name].spec.cache
        if decision.action is Action.BUILD and decision.digest and settings and cache:
            repository = graph.nodes[name].spec.repository
            wanted[name] = (entry_ref(settings, repository, decision.digest), decision.digest)
    if not wanted or cache is None:
        return {}
    with ThreadPoolExecutor(max_workers=min(8, len(wanted))) as workers:
        answers = workers.map(lambda pair: cache.lookup(*pair), wanted.values())
        found = dict(zip(wanted, answers, strict=True))
    return {name: entry for name, entry in found.items() if entry is not None}


def make_plan(
    graph: Graph,
    resolver: InputResolver,
    pool: Pool,
    *,
    no_cache: bool = False,
    extra_labels: Mapping[str, Mapping[str, str]] | None = None,
    builder: str | None = None,
    cache: RemoteCache | None = None,
    copy_hits: bool = False,
) -> Plan:
    """Resolve every image's inputs as far as they are known now, without building.

    `builder` (from --builder) overrides each image's own choice. In a pool, each image also
    gets the engine it is expected to go to and the moves that needs (see `Predictor`). With a
    `cache`, an image no engine holds is looked up in its cache registry: a hit is pulled, or
    with `copy_hits` (publish) copied registry-side when nothing that builds needs it here.
    """
    planned: dict[str, PlannedImage] = {}
    planner = _Planner(graph, resolver, pool, planned, builder=builder, no_cache=no_cache)
    for wave in graph.levels():
        decided = {name: planner.decide(name) for name in wave}
        hits = _look_up(graph, decided, cache if not no_cache else None)
        for name in wave:
            labels = dict((extra_labels or {}).get(name, {}))
            planned[name] = planner.image(name, decided[name], hits.get(name), labels, cache)
    if copy_hits:
        _copy_what_nothing_builds_on(graph, planned)
    engines = tuple((m.name, m.url) for m in pool.members) if pool.is_pool else ()
    return Plan(
        graph=graph, images=tuple(planned.values()), engine_url=pool.primary.url, engines=engines
    )
