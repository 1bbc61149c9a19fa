"""The flow under `imgbuild publish` and `promote`: build, gather, push, record. Prints nothing.

`publish_project` plans the refs before building (a bad tag rule or registry is reported
before any work), builds what changed, gathers a pool's images on the first engine, pushes, and
writes the metadata file. The caller shows the build through `emit`, each ref through
`on_result`, and turns the returned `Release` into output and an exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.publish import PublishResult, RefResult
from builder.publish_plan import PublishPlan
from builder.retry import RetryPolicy

if TYPE_CHECKING:
    from builder.build import CacheOverride, Session
    from builder.config import Config
    from builder.events import Emit
    from builder.graph import Graph
    from builder.index_staging import IndexStaging
    from builder.oci.push import Variant
    from builder.plan import Plan
    from builder.platforms import Platform
    from builder.promote import Promotion
    from builder.publish import CacheCopy
    from builder.scheduler import RunResult
    from builder.supply.options import SupplyOptions
    from builder.supply.publisher import SupplyChain
    from builder.uploads import OnPushEvent


@dataclass(frozen=True)
class PublishRequest:
    """What to publish: the command line of `imgbuild publish`, as typed values."""

    config_file: str | None = None
    images: tuple[str, ...] = ()
    registries: tuple[str, ...] = ()  # over [publish] registries when given
    version: str | None = None
    overrides: tuple[str, ...] = ()
    engine_urls: tuple[str, ...] = ()
    jobs: int | None = None  # default: the CPU count
    retries: int = 4
    metadata_file: Path | None = None
    sign_key: str | None = None  # over [publish] sign_key: PATH, env:VAR or keyring:NAME
    provenance: bool | None = None  # over [publish] provenance (true)
    provenance_dir: Path | None = None
    sbom: bool = False  # over [publish] sbom
    sbom_dir: Path | None = None
    sbom_format: str | None = None  # spdx or cyclonedx, over [publish] sbom_format
    platforms: tuple[Platform, ...] = ()  # over every image's platforms (--platform)
    cache: CacheOverride | None = None  # --cache-registry, --no-remote-cache


@dataclass(frozen=True)
class Release:
    built: RunResult
    graph: Graph
    published: PublishResult | None = None  # None: the build failed and nothing was pushed


def plan_release(request: PublishRequest) -> PublishPlan:
    """Every ref a publish would push and why; builds and contacts nothing (`--dry-run`)."""
    from builder.build import load_graph
    from builder.gitinfo import read_git_state
    from builder.publish_plan import plan_publish, publish_registries

    config, _ = load_graph(request.config_file, overrides=request.overrides, images=request.images)
    registries = publish_registries(config, request.registries)
    return plan_publish(
        config, request.images, read_git_state(config.root), request.version, registries
    )


def publish_project(
    request: PublishRequest,
    emit: Emit,
    on_result: Callable[[RefResult], None] = lambda _: None,
    on_note: Callable[[str], None] = lambda _: None,
    on_progress: OnPushEvent | None = None,
) -> Release:
    from builder.build import default_jobs, open_session
    from builder.publish import run_publish
    from builder.publish_plan import plan_publish, publish_registries
    from builder.report import write_json_atomically
    from builder.scheduler import RunOptions

    session = open_session(
        request.config_file,
        overrides=request.overrides,
        images=request.images,
        engine_urls=request.engine_urls,
        platforms=request.platforms,
        cache=request.cache,
        on_warning=lambda text: on_note(f"warning: {text}"),
    )
    config = session.config
    # Planned before building, so a bad rule or registry is reported before any work.
    registries = publish_registries(config, request.registries)
    plan = plan_publish(config, request.images, session.git_state, request.version, registries)
    supply = _supply_options(request, config)  # a bad key stops before any work
    # Syft scans the local image: with an SBOM to make, a cache hit is pulled, not copied.
    run_plan = session.plan(version=request.version, copy_hits=not supply.sbom)
    retry = RetryPolicy(attempts=request.retries)
    staging = _index_staging(session, plan, retry)
    try:
        running = staging.listening(emit) if staging is not None else emit
        built = session.run(run_plan, RunOptions(jobs=request.jobs or default_jobs()), running)
        if built.failed or built.interrupted:
            return Release(built, session.graph)
        session.gather(built)  # a pool built them on several engines; push from the first
        image_ids = {name: built.result(name).image_id or "" for name in plan.images}
        published = run_publish(
            plan,
            image_ids,
            session.engine,
            retry=retry,
            on_result=on_result,
            attach=_supply_chain(supply, session, built, on_note),
            on_progress=on_progress,
            variants=platform_variants(session.graph, built),
            copies=cache_copies(session, run_plan, built),
            staging=staging,
        )
    finally:
        if staging is not None:
            staging.close()
    if request.metadata_file is not None:
        cache = {name: built.result(name).cache for name in plan.images}
        write_json_atomically(request.metadata_file, published.metadata(cache))
    return Release(built, session.graph, published)


def _index_staging(session: Session, plan: PublishPlan, retry: RetryPolicy) -> IndexStaging | None:
    """What puts each image of several platforms in its registries while the run still
    builds; None when there is none, or the images are built on several engines (the publish
    reads them all from the first)."""
    from builder.index_staging import IndexStaging

    if session.pool.is_pool:
        return None
    places: dict[str, dict[tuple[str, str], str]] = {}
    for target in plan.targets:  # the first tag of each repository: the one put first
        places.setdefault(target.image, {}).setdefault(
            (target.registry, target.repository), target.tag.name
        )
    staging = IndexStaging(
        session.graph,
        session.engine,
        {image: [(*where, tag) for where, tag in found.items()] for image, found in places.items()},
        retry,
    )
    if not staging.wanted:
        staging.close()
        return None
    return staging


def platform_variants(graph: Graph, built: RunResult) -> dict[str, list[Variant]]:
    """Each image built for named platforms -> its (platform, image ID) pairs, in the order of
    its platforms: what its index lists."""
    variants: dict[str, list[Variant]] = {}
    for key, node in graph.nodes.items():
        image_id = built.result(key).image_id
        if node.platform is not None and image_id:
            variants.setdefault(node.spec.name, []).append((node.platform, image_id))
    return variants


def cache_copies(
    session: Session, plan: Plan, built: RunResult
) -> dict[str, tuple[CacheCopy, ...]]:
    """The images that are only in the remote cache (hits nothing here built on): where their
    refs are copied from; one copy per platform, in the order of its platforms, for an image
    whose index is made of the cache's manifests."""
    from builder.publish import CacheCopy

    planned = {image.name: image for image in plan.images}
    copies: dict[str, list[CacheCopy | None]] = {}
    for key, node in session.graph.nodes.items():  # an image's platforms in their order
        image = planned.get(key)
        entry = image.cache_entry if image is not None else None
        found = None
        if entry is not None and built.result(key).cache == "copied" and session.remote_cache:
            found = session.remote_cache.client(entry.ref)
        if entry is None or found is None:
            copies.setdefault(node.spec.name, []).append(None)
            continue
        client, path = found
        copy = CacheCopy(client, path, entry.manifest, entry.ref, node.platform)
        copies.setdefault(node.spec.name, []).append(copy)
    return {
        name: tuple(copy for copy in found if copy is not None)
        for name, found in copies.items()
        if all(copy is not None for copy in found)
    }


def _supply_options(request: PublishRequest, config: Config) -> SupplyOptions:
    from builder.supply.options import SupplyOptions

    sbom = request.sbom or config.publish.sbom or request.sbom_dir is not None
    if sbom:
        from builder.supply.sbom import syft_binary

        syft_binary()  # missing: said before anything is built
    # A --sign-key path is as the shell gave it; a [publish] one is relative to the config.
    key = None
    if request.sign_key:
        from builder.supply.keys import load_signing_key

        key = load_signing_key(request.sign_key)
    elif config.publish.sign_key:
        from builder.supply.keys import load_signing_key

        key = load_signing_key(config.publish.sign_key, root=config.root)
    return SupplyOptions(
        key=key,
        provenance=config.publish.provenance if request.provenance is None else request.provenance,
        provenance_dir=request.provenance_dir,
        sbom=sbom,
        sbom_dir=request.sbom_dir,
        sbom_format=request.sbom_format or config.publish.sbom_format,
    )


def _supply_chain(
    options: SupplyOptions, session: Session, built: RunResult, on_note: Callable[[str], None]
) -> SupplyChain | None:
    """The attach hook of the publish, None when nothing is to be attached."""
    if not options.wanted:
        return None  # before the imports: they bring the signing code (cryptography)
    from functools import cache

    from builder.supply.provenance import build_facts
    from builder.supply.publisher import SupplyChain
    from builder.supply.sbom import generate_sbom

    # (image, platform) -> the run's key of that variant; (image, None) is the image itself,
    # or its primary variant.
    keys = {
        (node.spec.name, str(node.platform)): key
        for key, node in session.graph.nodes.items()
        if node.platform is not None
    }

    def key(image: str, platform: str | None) -> str:
        return keys.get((image, platform), image) if platform else image

    return SupplyChain(
        options,
        cache(lambda image, platform: build_facts(session, built, key(image, platform))),
        on_note,
        cache(
            lambda image, platform: generate_sbom(
                built.result(key(image, platform)).image_id or "",
                session.engine.url,
                options.sbom_format,
            )
        ),
    )


def promote_image(
    config_file: str | None,
    overrides: Sequence[str],
    image: str,
    tags: tuple[str, str],
    registries: Sequence[str],
) -> list[Promotion]:
    """Point IMAGE's tags[1] at what tags[0] is, in every registry."""
    from builder.config import find_config, load_config
    from builder.promote import promote
    from builder.publish_plan import publish_registries

    config = load_config(find_config(explicit=config_file), overrides)
    return promote(config, image, *tags, publish_registries(config, registries))
