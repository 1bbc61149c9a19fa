"""The library entry point for building: config -> graph -> plan -> run."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from builder.builders import ContainerEngine
from builder.config import Config, ImageSpec, find_config, load_config
from builder.config.model import CacheSettings
from builder.config.sections import valid_registry_prefix
from builder.errors import UsageError
from builder.events import Emit
from builder.graph import Graph, build_graph
from builder.inputs import InputResolver
from builder.plan import Plan, make_plan
from builder.pool import Pool, check_placements, make_pool
from builder.scheduler import RunOptions, RunResult, run_plan
from builder.variants import expand_platforms

if TYPE_CHECKING:
    from builder.gitinfo import GitState
    from builder.platforms import Platform
    from builder.remote_cache import RemoteCache


@dataclass(frozen=True)
class Session:
    """A loaded config with its graph and engine pool, ready to plan or build.

    `engine` is the pool's first engine (the only one without `[engines]` or --engine).
    """

    config: Config
    graph: Graph
    engine: ContainerEngine
    resolver: InputResolver
    pool: Pool
    remote_cache: RemoteCache | None = None  # when an image has a cache registry

    @cached_property
    def git_state(self) -> GitState | None:
        """The repository's state, read once per session (labels and publish tags share it)."""
        from builder.gitinfo import read_git_state

        return read_git_state(self.config.root)

    def plan(
        self,
        *,
        no_cache: bool = False,
        version: str | None = None,
        builder: str | None = None,
        copy_hits: bool = False,
    ) -> Plan:
        """`copy_hits` (publish): a cache hit nothing here builds on stays in the registry."""
        labels = release_labels(self.graph, self.git_state, version)
        return make_plan(
            self.graph,
            self.resolver,
            self.pool,
            no_cache=no_cache,
            extra_labels=labels,
            builder=builder,
            cache=self.remote_cache,
            copy_hits=copy_hits,
        )

    def run(self, plan: Plan, options: RunOptions, emit: Emit) -> RunResult:
        options = replace(options, remote_cache=self.remote_cache)
        return run_plan(plan, self.pool, self.resolver, options, emit)

    def gather(self, result: RunResult) -> None:
        """Copy every built or skipped image of a pool run to `engine`, with its tags there
        (what publishing from that one engine needs). Nothing to do for one engine."""
        if not self.pool.is_pool:
            return
        target = self.pool.members[0].name
        for image in result.results:
            # A cache entry copied at publish is in no engine: nothing to gather.
            if image.status.ok and image.image_id is not None and image.cache != "copied":
                self.pool.move(image.image_id, target, image.refs)


def release_labels(
    graph: Graph, git_state: GitState | None, version: str | None = None
) -> dict[str, dict[str, str]]:
    """The OCI labels (source, revision, version, created, title) of each image, from git."""
    from builder.tags import image_version, oci_labels

    return {
        name: oci_labels(node.spec, git_state, image_version(name, git_state, version))
        for name, node in graph.nodes.items()
    }


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def load_graph(
    config_file: str | Path | None,
    *,
    overrides: Sequence[str] = (),
    build_args: Mapping[str, str] | None = None,
    images: Sequence[str] = (),
    cache: CacheOverride | None = None,
    builder: str | None = None,
) -> tuple[Config, Graph]:
    """Find and validate the config, apply --build-arg, --builder and the cache options, and
    select `images` and their needs.

    --builder is applied before the graph is built: the stages a build runs, hence its edges,
    depend on the builder (see `builder.graph`)."""
    config = load_config(find_config(explicit=config_file), overrides)
    if build_args:
        config = with_build_args(config, build_args)
    if builder is not None:
        config = with_builder(config, builder)
    if cache is not None:
        config = cache.apply(config)
    graph = build_graph(config)
    if images:
        graph = graph.select(images)
    return config, graph


@dataclass(frozen=True)
class CacheOverride:
    """--cache-registry and --no-remote-cache, over `[cache]` and each image's `cache`."""

    registry: str | None = None  # HOST[:PORT]/PREFIX for every image
    disabled: bool = False

    def apply(self, config: Config) -> Config:
        if self.registry is not None and not valid_registry_prefix(self.registry):
            raise UsageError(
                f"--cache-registry {self.registry!r} is not HOST[:PORT]/PREFIX",
                hint="e.g. --cache-registry 127.0.0.1:5000/cache",
            )
        specs = {
            name: replace(spec, cache=self._over(spec)) for name, spec in config.images.items()
        }
        return replace(config, images=specs)

    def _over(self, spec: ImageSpec) -> CacheSettings | None:
        if self.disabled:
            return None
        if self.registry is None:
            return spec.cache
        return CacheSettings(self.registry, spec.cache.mode if spec.cache else "readwrite")


def with_build_args(config: Config, build_args: Mapping[str, str]) -> Config:
    """Command-line build args apply to every image, over the config's `args`."""
    specs = {
        name: replace(spec, args={**spec.args, **build_args})
        for name, spec in config.images.items()
    }
    return replace(config, images=specs)


def with_builder(config: Config, builder: str) -> Config:
    """--builder for every image, over the config's `builder`."""
    specs = {name: replace(spec, builder=builder) for name, spec in config.images.items()}
    return replace(config, images=specs)


def open_session(
    config_file: str | Path | None,
    *,
    overrides: Sequence[str] = (),
    build_args: Mapping[str, str] | None = None,
    images: Sequence[str] = (),
    engine_urls: Sequence[str] = (),
    platforms: Sequence[Platform] = (),
    cache: CacheOverride | None = None,
    builder: str | None = None,
    on_warning: Callable[[str], None] = lambda _: None,
) -> Session:
    """Load the config and connect to its engines: `engine_urls` (--engine) over `[engines]`
    over DOCKER_HOST. Fails with one clear line when no engine answers.

    The graph is the run's: one node per image and platform (see `builder.variants`), each
    image's platforms replaced by `platforms` (--platform) and its builder by `builder`
    (--builder) when given. `on_warning` hears what the remote cache cannot do (it never fails
    a run)."""
    config, graph = load_graph(
        config_file,
        overrides=overrides,
        build_args=build_args,
        images=images,
        cache=cache,
        builder=builder,
    )
    pool = make_pool(config.engines, engine_urls)
    check_placements(config, pool)
    pool.connect()
    native = pool.up()[0].engine  # connect() raised when none answers
    graph = expand_platforms(graph, native.info().platform, native, platforms)
    wants_cache = any(node.spec.cache is not None for node in graph.nodes.values())
    return Session(
        config=config,
        graph=graph,
        engine=pool.primary,
        resolver=InputResolver(pool),
        pool=pool,
        remote_cache=_remote_cache(on_warning) if wants_cache else None,
    )


def _remote_cache(on_warning: Callable[[str], None]) -> RemoteCache:
    # Imported only when an image has a cache: it brings the registry client (requests).
    from builder.remote_cache import RemoteCache

    return RemoteCache(on_warning)
