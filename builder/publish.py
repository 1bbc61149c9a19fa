"""Publishing: which refs each image gets on each registry, and pushing them safely.

The plan is every computed tag of every selected image on every registry, immutable tags (full
version, sha) before moving ones (latest, major, minor, branch, raw). The run:

1. checks every registry's credentials first, so a 401 stops before anything is pushed;
2. reads what each ref points at now (one manifest GET each): a ref whose manifest's config is
   the local image is skipped, with no upload;
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

from builder.builders import ContainerEngine
from builder.config import Config
from builder.credentials import Credentials, find_credentials, registry_key
from builder.engine.operations import PushAuth, PushFailed
from builder.errors import ImgbuildError, Interrupted, RegistryError, UsageError
from builder.gitinfo import GitState
from builder.refs import is_valid_repository, is_valid_tag, names_registry, split_registry
from builder.registry import Manifest, RegistryClient
from builder.retry import RetryPolicy, with_retries
from builder.tags import Tag, image_tags
from builder.text import align
from builder.uploads import OnPushEvent, PublishStarted

# Called with a ref just put in place, its manifest digest and the client of its registry.
AttachHook = Callable[["Target", str, RegistryClient], None]

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
class Target:
    """One ref to publish: an image's tag in a repository of one registry."""

    image: str
    host: str  # as the ref spells it: "docker.io", "127.0.0.1:5000"
    repository: str  # the path inside the registry: "acme/shop/api"
    tag: Tag

    @property
    def registry(self) -> str:
        return registry_key(self.host)

    @property
    def name(self) -> str:
        return f"{self.host}/{self.repository}"

    @property
    def ref(self) -> str:
        return f"{self.name}:{self.tag.name}"


@dataclass(frozen=True)
class PublishPlan:
    targets: tuple[Target, ...]  # immutable refs of every image first, then moving ones
    images: tuple[str, ...]


@dataclass(frozen=True)
class RefResult:
    target: Target
    status: RefStatus
    digest: str | None = None
    detail: str = ""


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

    def metadata(self) -> dict[str, object]:
        """The `--metadata-file` document; the digest is the registry's manifest digest."""
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
            images[name] = {
                "status": status,
                "digest": digest,
                "pushed": refs(RefStatus.PUSHED, RefStatus.TAGGED),
                "skipped": refs(RefStatus.SKIPPED),
                "failed": refs(RefStatus.FAILED),
                "not_pushed": refs(RefStatus.NOT_PUSHED),
            }
        return {"images": images}


# ---------------------------------------------------------------------------------------------
# Planning


def publish_registries(config: Config, override: Sequence[str]) -> tuple[str, ...]:
    """`--registry` values, else `[publish] registries` (checked when the config loaded)."""
    return tuple(override) or config.publish.registries


def plan_publish(
    config: Config,
    images: Sequence[str],
    git_state: GitState | None,
    version: str | None,
    registries: Sequence[str],
) -> PublishPlan:
    """Every ref to push: REGISTRY/REPOSITORY:TAG for each image, registry and tag."""
    names = tuple(images) or tuple(config.images)
    immutable: list[Target] = []
    moving: list[Target] = []
    for name in names:
        tags = image_tags(config, config.images[name], git_state, version)
        if not tags:
            raise UsageError(
                f"image {name} gets no tag to publish",
                hint="run in a git repository, pass --version, or set raw tags in [tags]",
            )
        for host, path in image_locations(config, name, registries):
            for tag in tags:
                target = Target(name, host, path, tag)
                (immutable if tag.immutable else moving).append(target)
    return PublishPlan(targets=(*immutable, *moving), images=names)


def image_locations(config: Config, name: str, registries: Sequence[str]) -> list[tuple[str, str]]:
    """(host, path) of the image's repository on each registry."""
    repository = config.images[name].repository
    if not registries and not names_registry(repository):
        raise UsageError(
            f"no registry to publish {name} to",
            hint="set [publish] registries in imgbuild.toml or pass --registry",
        )
    locations = []
    for registry in registries or ("",):
        full = f"{registry.rstrip('/')}/{repository}" if registry else repository
        host, path = split_registry(full)
        if not is_valid_repository(f"{host}/{path}"):
            raise UsageError(
                f"{full} is not a valid repository name",
                hint="registries look like HOST[:PORT][/NAMESPACE]",
            )
        locations.append((host, path))
    return locations


def dry_run_lines(plan: PublishPlan) -> list[str]:
    lines = []
    for target in plan.targets:
        kind = "immutable" if target.tag.immutable else "moving"
        lines.append(
            f"would push {target.ref}  ({kind}; {target.tag.kind.value}: {target.tag.reason})"
        )
    return lines


# ---------------------------------------------------------------------------------------------
# Running


@dataclass
class _Repository:
    """What is known of one image's repository on one registry during a run."""

    client: RegistryClient
    current: dict[str, Manifest | None] = field(default_factory=dict)  # tag -> what it is now
    manifest: Manifest | None = None  # this image's manifest there, once known
    attached: bool = False  # signatures and attestations of its digest are in place


def run_publish(
    plan: PublishPlan,
    image_ids: Mapping[str, str],
    engine: ContainerEngine,
    *,
    retry: RetryPolicy | None = None,
    on_result: Callable[[RefResult], None] = lambda _: None,
    attach: AttachHook | None = None,
    on_progress: OnPushEvent | None = None,
) -> PublishResult:
    """Push the plan; never raises for a failed ref: the result and its error say what failed.

    `attach` is called once per image and repository, right after its first ref is in place
    and before the next one: as immutable refs come first, signatures and attestations are
    there before any moving tag points at the digest (an image with only moving tags has its
    first one pushed unsigned for that moment: the engine pushes by tag).
    `on_progress` hears of every ref first, then of every upload as it goes.
    """
    retry = retry or RetryPolicy()
    results: dict[Target, RefResult] = {}
    clients: dict[str, RegistryClient] = {}
    credentials: dict[str, Credentials | None] = {}
    if on_progress is not None:
        on_progress(PublishStarted(tuple(target.ref for target in plan.targets)))
    error: ImgbuildError | None = None
    try:
        _sign_in(plan, retry, clients, credentials)
        repositories = _read_current(plan, image_ids, clients)
        for target in plan.targets:  # immutable ones come first in every plan
            place = repositories[(target.image, target.name)]
            try:
                image_id, signed_in = image_ids[target.image], credentials[target.registry]
                result = _publish_one(
                    target, place, image_id, engine, signed_in, retry, on_progress
                )
            except ImgbuildError as failure:
                result, error = RefResult(target, RefStatus.FAILED, detail=str(failure)), failure
            results[target] = result
            on_result(result)
            if error is not None:
                break
            if attach is not None and result.digest and not place.attached:
                attach(target, result.digest, place.client)
                place.attached = True
    except ImgbuildError as failure:
        error = failure
    except KeyboardInterrupt:
        error = Interrupted("interrupted; nothing after the last finished ref was pushed")
    return _finish(plan, results, clients, error)


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


def _sign_in(
    plan: PublishPlan,
    retry: RetryPolicy,
    clients: dict[str, RegistryClient],
    credentials: dict[str, Credentials | None],
) -> None:
    """A client per registry, its credentials checked: a 401 stops before anything is pushed."""
    for target in plan.targets:
        key = target.registry
        if key not in clients:
            lookup = find_credentials(key)
            credentials[key] = lookup.credentials
            clients[key] = RegistryClient(key, lookup.credentials, retry, lookup.notes)
            clients[key].check_login()


def _read_current(
    plan: PublishPlan, image_ids: Mapping[str, str], clients: Mapping[str, RegistryClient]
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
        if (
            place.manifest is None
            and now is not None
            and now.config_digest == image_ids[target.image]
        ):
            place.manifest = now
    return repositories


def _publish_one(
    target: Target,
    place: _Repository,
    image_id: str,
    engine: ContainerEngine,
    credentials: Credentials | None,
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
    digest = _push_with_retries(engine, target, credentials, retry, on_progress)
    place.manifest = place.client.get_manifest(target.repository, digest)
    return RefResult(target, RefStatus.PUSHED, digest, f"uploaded{was}")


def _push_with_retries(
    engine: ContainerEngine,
    target: Target,
    credentials: Credentials | None,
    retry: RetryPolicy,
    on_progress: OnPushEvent | None = None,
) -> str:
    auth = PushAuth(credentials.username, credentials.secret) if credentials else None
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


# ---------------------------------------------------------------------------------------------
# Promote


@dataclass(frozen=True)
class Promotion:
    source: str  # REGISTRY/REPOSITORY:FROM
    target: str  # REGISTRY/REPOSITORY:TO
    digest: str


def promote(
    config: Config,
    image: str,
    from_tag: str,
    to_tag: str,
    registries: Sequence[str],
    retry: RetryPolicy | None = None,
) -> list[Promotion]:
    """Point TO_TAG at FROM_TAG's manifest on every registry, registry-side (no pull, no build).

    Every registry is read first: when FROM_TAG is missing anywhere, nothing is changed.
    """
    if image not in config.images:
        raise UsageError(
            f"no image named {image!r} in the config", hint=f"images: {', '.join(config.images)}"
        )
    for tag in (from_tag, to_tag):
        if not is_valid_tag(tag):
            raise UsageError(f"{tag!r} is not a valid tag")
    clients: list[RegistryClient] = []
    found: list[tuple[RegistryClient, str, str, Manifest]] = []
    try:
        for host, path in image_locations(config, image, registries):
            key = registry_key(host)
            lookup = find_credentials(key)
            client = RegistryClient(key, lookup.credentials, retry, lookup.notes)
            clients.append(client)
            manifest = client.get_manifest(path, from_tag)
            if manifest is None:
                raise RegistryError(
                    f"{host}/{path}:{from_tag} does not exist; nothing was promoted",
                    hint="publish it first, or check the tag with `imgbuild tags`",
                )
            found.append((client, host, path, manifest))
        promotions = []
        for client, host, path, manifest in found:
            digest = client.put_manifest(path, to_tag, manifest)
            name = f"{host}/{path}"
            promotions.append(Promotion(f"{name}:{from_tag}", f"{name}:{to_tag}", digest))
        return promotions
    finally:
        for client in clients:
            client.close()
