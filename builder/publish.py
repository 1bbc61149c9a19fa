"""Publishing: pushing the refs of a plan (`builder.publish_plan`) safely.

The plan is every computed tag of every selected image on every registry, immutable tags (full
version, sha) before moving ones (latest, major, minor, branch, raw). An image built for several
platforms is one OCI index, handled like a manifest (see `builder.oci.push`). The run:

1. checks every registry's credentials first, so a 401 stops before anything is pushed;
2. reads what each ref points at now (one manifest GET each): a ref whose manifest's config is
   the local image (or, for several platforms, an index of exactly its variants) is skipped,
   with no upload;
3. pushes the immutable refs of all images: the first of an image on a registry through the
   engine (layers upload once), the rest as registry-side manifest copies;
4. only when every immutable ref is in place, points the moving refs at the same manifests
   (manifest copies: no upload, one small PUT each, so the window in which a failure can leave
   some moving tags moved and others not is as short as it can be).

The first failure stops the run: nothing after it is attempted, no moving tag changes if phase 3
failed, and the result says per ref what was pushed and what was not. A re-run pushes only what
is missing. Transient errors are retried with backoff by the registry client and around pushes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from builder.builders import ContainerEngine
from builder.credentials import Credentials
from builder.engine.operations import PushFailed
from builder.errors import ImgbuildError, Interrupted
from builder.publish_plan import PublishPlan, Target
from builder.registry import Manifest, RegistryClient
from builder.registry_auth import push_auth
from builder.retry import RetryPolicy, with_retries
from builder.text import align
from builder.uploads import OnPushEvent, PublishStarted

if TYPE_CHECKING:
    from builder.index_staging import IndexStaging
    from builder.oci.push import BlobLedger, Variant
    from builder.platforms import Platform

# Called with a ref just put in place (its digest, and each platform's digest when it is an
# index) and the client of its registry.
AttachHook = Callable[["RefResult", RegistryClient], None]

_READERS = 8  # manifest reads in flight at once: small requests, mostly waiting on the network


class RefStatus(Enum):
    PUSHED = "pushed"  # uploaded through the engine
    TAGGED = "tagged"  # manifest copied registry-side: no upload
    SKIPPED = "skipped"  # already pointed at this image
    FAILED = "failed"
    NOT_PUSHED = "not pushed"  # not attempted after an earlier failure

    @property
    def done(self) -> bool:
        return self in (RefStatus.PUSHED, RefStatus.TAGGED, RefStatus.SKIPPED)


@dataclass(frozen=True)
class RefResult:
    target: Target
    status: RefStatus
    digest: str | None = None  # of the manifest, or of the index of a multi-platform image
    detail: str = ""
    platforms: Mapping[str, str] = field(default_factory=dict)  # platform -> manifest digest


@dataclass(frozen=True)
class PublishResult:
    results: tuple[RefResult, ...]
    images: tuple[str, ...]
    error: ImgbuildError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    def summary(self) -> str:
        counts = {
            status: sum(1 for row in self.results if row.status is status) for status in RefStatus
        }
        return "published: " + ", ".join(
            f"{count} {status.value}" for status, count in counts.items() if count
        )

    def table(self) -> list[str]:
        """Every ref and what happened to it, for the failure report."""
        rows = [("IMAGE", "REF", "RESULT")]
        rows += [(row.target.image, row.target.ref, row.status.value) for row in self.results]
        return align(rows)

    def metadata(self, cache: Mapping[str, str | None] | None = None) -> dict[str, object]:
        """The `--metadata-file` document; the digest is the registry's manifest digest.
        `cache`: each image's use of the remote cache (local, pulled, copied or miss)."""
        images: dict[str, object] = {}
        for name in self.images:
            mine = [result for result in self.results if result.target.image == name]

            def refs(*statuses: RefStatus, rows: list[RefResult] = mine) -> list[str]:
                return [row.target.ref for row in rows if row.status in statuses]

            if any(not row.status.done for row in mine):
                status = "failed"
            elif any(row.status in (RefStatus.PUSHED, RefStatus.TAGGED) for row in mine):
                status = "pushed"
            else:
                status = "unchanged"
            digest = next((row.digest for row in mine if row.digest), None)
            platforms = next((row.platforms for row in mine if row.platforms), None)
            images[name] = {
                "status": status,
                "digest": digest,
                "pushed": refs(RefStatus.PUSHED, RefStatus.TAGGED),
                "skipped": refs(RefStatus.SKIPPED),
                "failed": refs(RefStatus.FAILED),
                "not_pushed": refs(RefStatus.NOT_PUSHED),
                **({"platforms": dict(platforms)} if platforms else {}),
                **({"cache": cache[name]} if cache and cache.get(name) else {}),
            }
        return {"images": images}


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class _Repository:
    """What is known of one image's repository on one registry during a run."""

    client: RegistryClient
    current: dict[str, Manifest | None] = field(default_factory=dict)  # tag -> what it is now
    manifest: Manifest | None = None  # this image's manifest (or index) there, once known
    attached: bool = False  # signatures and attestations of its digest are in place
    platforms: dict[str, str] = field(default_factory=dict)  # of its index: platform -> digest


@dataclass(frozen=True)
class _Image:
    """What is published of one image: its local image, or its platform variants."""

    image_id: str
    variants: tuple[Variant, ...] = ()  # (platform, image ID), in the config's order

    def is_current(self, client: RegistryClient, repository: str, now: Manifest) -> bool:
        """Whether `now` (what a tag names) is already this image: its config, or for
        variants an index of exactly them (one GET per platform, no layer work)."""
        if not self.variants:
            return now.config_digest == self.image_id
        from builder.oci.push import matches_variants

        return matches_variants(client, repository, now, self.variants)


def run_publish(
    plan: PublishPlan,
    image_ids: Mapping[str, str],
    engine: ContainerEngine,
    *,
    retry: RetryPolicy | None = None,
    on_result: Callable[[RefResult], None] = lambda _: None,
    attach: AttachHook | None = None,
    on_progress: OnPushEvent | None = None,
    variants: Mapping[str, Sequence[Variant]] | None = None,
    copies: Mapping[str, Sequence[CacheCopy]] | None = None,
    staging: IndexStaging | None = None,
) -> PublishResult:
    """Push the plan; never raises for a failed ref: the result and its error say what failed.

    An image of `variants` (image -> its (platform, image ID) pairs) is one OCI index naming
    every platform, put under each tag like a manifest (see `builder.oci.push`). An image of
    `copies` is in the remote cache only: its first ref is copied from there. `attach` is
    called once per image and repository, right after its first ref is in place and before
    the next one: as immutable refs come first, signatures and attestations are there before
    any moving tag points at the digest (an image with only moving tags has its first one
    pushed unsigned for that moment: the engine pushes by tag). `on_progress` hears of every
    ref first, then of every upload as it goes. `staging` holds the indexes whose manifests
    went up while the run was still building (`builder.index_staging`).
    """
    pusher = _Pusher(engine, retry or RetryPolicy(), on_progress, dict(copies or {}), staging)
    if staging is not None:
        pusher.ledgers.update(staging.ledgers)  # where its blobs went: mounted from there
    results: dict[Target, RefResult] = {}
    clients: dict[str, RegistryClient] = {}
    if on_progress is not None:
        on_progress(PublishStarted(tuple(target.ref for target in plan.targets)))
    error: ImgbuildError | None = None
    images = {
        name: _Image(image_ids[name], tuple((variants or {}).get(name, ()))) for name in plan.images
    }
    try:
        _sign_in(plan, pusher.retry, clients)
        repositories = _read_current(plan, images, clients)
        for target in plan.targets:  # immutable ones come first in every plan
            place = repositories[(target.image, target.name)]
            try:
                result = pusher.push(target, place, images[target.image])
            except ImgbuildError as failure:
                result, error = RefResult(target, RefStatus.FAILED, detail=str(failure)), failure
            results[target] = result
            on_result(result)
            if error is not None:
                break
            if attach is not None and result.digest and not place.attached:
                attach(result, place.client)
                place.attached = True
    except ImgbuildError as failure:
        error = failure
    except KeyboardInterrupt:
        error = Interrupted("interrupted; nothing after the last finished ref was pushed")
    return _finish(plan, results, clients, error)


@dataclass
class _Pusher:
    """How each ref is put in place: an index, a copy from the cache, or the engine's push."""

    engine: ContainerEngine
    retry: RetryPolicy
    on_progress: OnPushEvent | None
    copies: dict[str, Sequence[CacheCopy]]
    staging: IndexStaging | None = None
    ledgers: dict[str, BlobLedger] = field(default_factory=dict)  # one per registry

    def push(self, target: Target, place: _Repository, image: _Image) -> RefResult:
        if image.variants:
            ledger = self.ledgers.setdefault(target.registry, _ledger())
            return _publish_index(target, place, image, self, ledger)
        if target.image in self.copies and place.manifest is None:
            return _copy_from_cache(target, place, self.copies[target.image][0])
        pushing = (self.engine, self.retry, self.on_progress)
        return _publish_one(target, place, image.image_id, *pushing)


def _finish(
    plan: PublishPlan,
    results: dict[Target, RefResult],
    clients: Mapping[str, RegistryClient],
    error: ImgbuildError | None,
) -> PublishResult:
    for client in clients.values():
        client.close()
    for target in plan.targets:
        if target not in results:  # recorded, not announced: the table lists them
            results[target] = RefResult(target, RefStatus.NOT_PUSHED)
    ordered = tuple(results[target] for target in plan.targets)
    return PublishResult(ordered, plan.images, error)


def _sign_in(plan: PublishPlan, retry: RetryPolicy, clients: dict[str, RegistryClient]) -> None:
    """A client per registry, its credentials checked: a 401 stops before anything is pushed."""
    for target in plan.targets:
        key = target.registry
        if key not in clients:
            clients[key] = RegistryClient.for_registry(key, retry)
            clients[key].check_login()


def _read_current(
    plan: PublishPlan, images: Mapping[str, _Image], clients: Mapping[str, RegistryClient]
) -> dict[tuple[str, str], _Repository]:
    """What every ref points at now, per image and repository."""
    repositories: dict[tuple[str, str], _Repository] = {}
    for target in plan.targets:
        repositories.setdefault((target.image, target.name), _Repository(clients[target.registry]))
    # Reading what every ref is now is most of a no-op publish: ask in parallel.
    with ThreadPoolExecutor(max_workers=_READERS) as pool:
        current = list(
            pool.map(
                lambda target: repositories[(target.image, target.name)].client.get_manifest(
                    target.repository, target.tag.name
                ),
                plan.targets,
            )
        )
    for target, now in zip(plan.targets, current, strict=True):
        place = repositories[(target.image, target.name)]
        place.current[target.tag.name] = now
        image = images[target.image]
        if (
            place.manifest is None
            and now
            and image.is_current(place.client, target.repository, now)
        ):
            place.manifest = now
    return repositories


def _publish_one(
    target: Target,
    place: _Repository,
    image_id: str,
    engine: ContainerEngine,
    retry: RetryPolicy,
    on_progress: OnPushEvent | None,
) -> RefResult:
    now = place.current.get(target.tag.name)
    if now is not None and now.config_digest == image_id:
        return RefResult(target, RefStatus.SKIPPED, now.digest, "already this image")
    # Say what a tag pointed at before, so replacing an existing version tag is never silent.
    was = f"; it was {now.digest}" if now is not None else ""
    if place.manifest is not None:
        digest = place.client.put_manifest(target.repository, target.tag.name, place.manifest)
        return RefResult(target, RefStatus.TAGGED, digest, f"copied in the registry{was}")
    engine.tag(image_id, (target.ref,))
    # Read only now: the lookup (a keyring read) is made for an engine push, never for a skip.
    credentials = place.client.credentials
    digest = _push_with_retries(engine, target, credentials, retry, on_progress)
    place.manifest = place.client.get_manifest(target.repository, digest)
    return RefResult(target, RefStatus.PUSHED, digest, f"uploaded{was}")


def _publish_index(
    target: Target, place: _Repository, image: _Image, pusher: _Pusher, ledger: BlobLedger
) -> RefResult:
    """`_publish_one` for an image of several platforms: its index, pushed or copied."""
    from builder.oci.documents import platform_digests
    from builder.oci.push import push_index

    now = place.current.get(target.tag.name)
    if now is not None and place.manifest is not None and now.digest == place.manifest.digest:
        platforms = platform_digests(now)
        return RefResult(target, RefStatus.SKIPPED, now.digest, "already this index", platforms)
    was = f"; it was {now.digest}" if now is not None else ""
    copies = pusher.copies.get(target.image)
    if place.manifest is None and copies:
        place.manifest = _index_from_cache(target, place, copies)
        digest = place.client.put_manifest(target.repository, target.tag.name, place.manifest)
        platforms = platform_digests(place.manifest)
        detail = f"index of {len(platforms)} platforms copied from the cache{was}"
        return RefResult(target, RefStatus.TAGGED, digest, detail, platforms)
    if place.manifest is None:
        staging = pusher.staging
        staged = (
            staging.take(target.registry, target.repository, image.variants) if staging else None
        )
        pushed = staged or push_index(
            pusher.engine,
            place.client,
            target.repository,
            image.variants,
            ledger=ledger,
            on_progress=pusher.on_progress,
            ref=target.ref,
        )
        place.manifest = pushed.index
        digest = place.client.put_manifest(target.repository, target.tag.name, pushed.index)
        platforms = pushed.platform_digests()
        detail = f"index of {len(platforms)} platforms uploaded{was}"
        return RefResult(target, RefStatus.PUSHED, digest, detail, platforms)
    digest = place.client.put_manifest(target.repository, target.tag.name, place.manifest)
    platforms = platform_digests(place.manifest)
    return RefResult(target, RefStatus.TAGGED, digest, f"copied in the registry{was}", platforms)


@dataclass(frozen=True)
class CacheCopy:
    """Where an image that is only in the remote cache is: what its refs are copied from."""

    client: RegistryClient
    repository: str
    manifest: Manifest
    ref: str
    platform: Platform | None = None  # of a platform variant: the index entry it is


def _copy_from_cache(target: Target, place: _Repository, source: CacheCopy) -> RefResult:
    from builder.registry_copy import copy_blobs

    now = place.current.get(target.tag.name)
    was = f"; it was {now.digest}" if now is not None else ""
    copy_blobs(source.client, source.repository, source.manifest, place.client, target.repository)
    digest = place.client.put_manifest(target.repository, target.tag.name, source.manifest)
    place.manifest = source.manifest
    return RefResult(target, RefStatus.TAGGED, digest, f"copied from the cache {source.ref}{was}")


def _index_from_cache(target: Target, place: _Repository, copies: Sequence[CacheCopy]) -> Manifest:
    """An index of the cache's platform manifests, each put in the target repository by digest
    with its blobs (mounted or streamed registry to registry): no layer passes through here."""
    from builder.oci.documents import IndexEntry, image_index
    from builder.oci.push import put_by_digest
    from builder.registry_copy import copy_blobs

    entries = []
    for source in copies:
        assert source.platform is not None  # cache_copies gives a platform to each
        manifest = source.manifest
        copy_blobs(source.client, source.repository, manifest, place.client, target.repository)
        put_by_digest(place.client, target.repository, manifest)
        entries.append(
            IndexEntry(source.platform, manifest.digest, len(manifest.body), manifest.media_type)
        )
    return image_index(entries)


def _ledger() -> BlobLedger:
    from builder.oci.push import BlobLedger

    return BlobLedger()


def _push_with_retries(
    engine: ContainerEngine,
    target: Target,
    credentials: Credentials | None,
    retry: RetryPolicy,
    on_progress: OnPushEvent | None = None,
) -> str:
    auth = push_auth(credentials)
    try:
        return with_retries(
            lambda: engine.push(target.name, target.tag.name, auth, on_progress),
            retry,
            lambda error: isinstance(error, PushFailed) and error.transient,
        )
    except PushFailed as error:
        if not error.transient and credentials is not None and _refused(error):
            raise PushFailed(
                f"{error} (user {credentials.username!r} from {credentials.origin})",
                transient=False,
            ) from None
        raise


def _refused(error: PushFailed) -> bool:
    text = str(error).lower()
    return any(word in text for word in ("unauthorized", "denied", "authentication required"))
