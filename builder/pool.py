"""A pool of Docker engines: which engine holds what, which are up, and moving images between them.

One engine (no `[engines]`, no --engine) is a pool of one, named "default": the scheduler and
the plan have a single code path. Engine names are the `[engines.hosts]` keys, or e1, e2, ...
for --engine URLs.

What each engine holds is read once per run (one image listing per engine, see
`Engine.inventory`) and kept up to date as images are built and moved; placement and
"skip on unchanged inputs" across the pool are lookups in it, not a request per image and engine.
Image IDs are content-addressed, so an image moved to another engine keeps its ID and its input
digest label, and digests agree across engines.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from builder.builders import ContainerEngine
from builder.config import ENGINE_SCHEMES, Config, EngineHost, EnginesConfig
from builder.engine.inventory import Inventory
from builder.engine.operations import Engine
from builder.errors import ConfigError, EngineError, UsageError
from builder.platforms import BuildPlatforms, Platform, build_platforms
from builder.records import CancelHandle
from builder.refs import split_ref
from builder.registry_auth import auth_for_ref
from builder.versions import version_tuple

DEFAULT_NAME = "default"
TRANSFER_REPOSITORY = "imgbuild-transfer"
# A single engine confirms this many skips by inspecting each image's tag; past it, one listing
# of the engine is cheaper (measured: ~1.2 ms an inspect, one listing of 1,000 images ~0.1 s).
QUICK_INSPECTS = 64


class ImageLost(EngineError):
    """No engine that answers holds an image any more: whoever made it must make it again."""


@dataclass(frozen=True)
class Member:
    name: str
    engine: ContainerEngine
    jobs: int | None = None  # builds at once; None: the run's -j
    platforms: tuple[Platform, ...] = ()  # what it can build, when the config says

    def build_platforms(self) -> BuildPlatforms:
        """What it builds natively and under emulation (see `builder.platforms`)."""
        return build_platforms(self.engine.info().platform, self.url, self.platforms)

    @property
    def url(self) -> str:
        return self.engine.url

    def slots(self, default_jobs: int) -> int:
        return self.jobs or default_jobs


@dataclass(frozen=True)
class Move:
    """An image to copy to the engine where a dependent builds (in the plan or done)."""

    image: str  # a dependency's name or an external base ref
    source: str
    target: str
    via: str  # "registry" or "stream"


@dataclass
class _State:
    ids: set[str]
    digests: dict[str, str]  # input digest -> image ID
    tags: dict[str, str]  # ref -> image ID
    repositories: set[str]


@dataclass
class Pool:
    """The engines of a run and what each holds. Thread-safe."""

    members: tuple[Member, ...]
    transfer_registry: str | None = None
    down: dict[str, str] = field(default_factory=dict)  # name -> why
    _states: dict[str, _State] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _moving: dict[tuple[str, str], threading.Lock] = field(default_factory=dict)
    _inspects: int = 0  # quick matches asked of a single engine so far

    def __post_init__(self) -> None:
        if not self.members:
            raise UsageError("the pool has no engine")

    # -- members and health ------------------------------------------------------------------

    @property
    def primary(self) -> ContainerEngine:
        return self.members[0].engine

    @property
    def is_pool(self) -> bool:
        return len(self.members) > 1

    def member(self, name: str) -> Member:
        return next(member for member in self.members if member.name == name)

    def up(self) -> list[Member]:
        with self._lock:
            return [member for member in self.members if member.name not in self.down]

    def is_up(self, name: str) -> bool:
        with self._lock:
            return name not in self.down

    def mark_down(self, name: str, reason: str) -> bool:
        """Record `name` as down; False when it already was."""
        with self._lock:
            if name in self.down:
                return False
            self.down[name] = reason
            return True

    def connect(self) -> None:
        """Ask every engine for its version and holdings at once; an engine that does not
        answer is marked down, and when none answers the first one's error is raised.

        A single engine's holdings are read only when needed: listing every image costs the
        engine time in proportion to all it holds, while a no-op run of one engine can
        confirm each image from its own tag (see `quick_match`).
        """

        def read(member: Member) -> tuple[Member, Inventory | EngineError | None]:
            try:
                member.engine.info()
                return member, member.engine.inventory() if self.is_pool else None
            except EngineError as error:
                return member, error

        with ThreadPoolExecutor(max_workers=min(16, len(self.members))) as workers:
            answers = list(workers.map(read, self.members))
        errors = []
        for member, answer in answers:
            if isinstance(answer, EngineError):
                errors.append(answer)
                self.mark_down(member.name, answer.message.split(": ", 1)[-1])
            elif answer is not None:
                self._states[member.name] = _state(answer)
        if len(errors) == len(self.members):
            raise errors[0]

    def api_version(self) -> str:
        """The oldest API version of the engines that answer (what every build must fit)."""
        versions = [member.engine.info().api_version for member in self.up()]
        return min(versions, key=version_tuple)

    # -- what each engine holds -----------------------------------------------------------------

    def _state_of(self, name: str) -> _State:
        """`name`'s holdings, listed now if they were not yet (call with the lock held)."""
        state = self._states.get(name)
        if state is None:
            state = self._states[name] = _state(self.member(name).engine.inventory())
        return state

    def quick_match(self, digest: str, refs: Sequence[str]) -> str | None:
        """A single engine's image built from `digest` that already carries every ref.

        One inspect of the image's first ref instead of a listing of the whole engine: the
        no-op run's common case, up to `QUICK_INSPECTS` images; then the engine is listed once.
        None means "ask the holdings" (`with_digest`), not "absent".
        """
        if self.is_pool or not refs or self.members[0].name in self.down:
            return None
        with self._lock:
            if self.members[0].name in self._states:
                return None  # listed already: the holdings answer as cheaply
            self._inspects += 1
            if self._inspects > QUICK_INSPECTS:
                # A large graph: one listing costs less than an inspect per image from here on.
                self._state_of(self.members[0].name)
                return None
        found = self.members[0].engine.tagged_image(refs[0])
        if found is None or found.input_digest != digest or not set(refs) <= found.tags:
            return None
        return found.image_id

    def holders(self, image_id: str) -> list[str]:
        """Up engines holding `image_id`, in pool order."""
        with self._lock:
            return [
                m.name
                for m in self.members
                if m.name not in self.down and image_id in self._state_of(m.name).ids
            ]

    def with_digest(self, digest: str) -> dict[str, str]:
        """Up engine -> the image built from these inputs there."""
        with self._lock:
            found = {}
            for member in self.members:
                if member.name in self.down:
                    continue
                image_id = self._state_of(member.name).digests.get(digest)
                if image_id is not None:
                    found[member.name] = image_id
            return found

    def has_repository(self, name: str, repository: str) -> bool:
        with self._lock:
            return repository in self._state_of(name).repositories

    def tag_points_at(self, name: str, ref: str, image_id: str) -> bool:
        with self._lock:
            return self._state_of(name).tags.get(ref) == image_id

    def image_id(self, ref: str) -> str | None:
        """The ID `ref` names on the first up engine that has it (what a FROM will get)."""
        for member in self.up():
            try:
                found = member.engine.image_id(ref)
            except EngineError:
                if not self.is_pool:
                    raise
                continue  # the run finds out whether that engine is down when it builds there
            if found is not None:
                return found
        return None

    def record(
        self, name: str, image_id: str, *, digest: str | None = None, refs: Iterable[str] = ()
    ) -> None:
        """`name` now holds `image_id` (built, loaded or tagged)."""
        with self._lock:
            state = self._states.get(name)
            if state is None:
                return  # not listed yet: a listing later will include it
            state.ids.add(image_id)
            if digest is not None:
                state.digests.setdefault(digest, image_id)
            for ref in refs:
                state.tags[ref] = image_id
                state.repositories.add(split_ref(ref).repository)

    def forget(self, name: str, image_id: str) -> None:
        with self._lock:
            state = self._states.get(name)
            if state is None:
                return
            state.ids.discard(image_id)
            for digest in [d for d, i in state.digests.items() if i == image_id]:
                del state.digests[digest]

    # -- moving images --------------------------------------------------------------------------

    def move(
        self, image_id: str, target: str, refs: Sequence[str], handle: CancelHandle | None = None
    ) -> Move | None:
        """Copy `image_id` to `target` unless it is there, then point `refs` at it there.

        Returns the move made, or None when the image was already there. Two dependents
        needing the same image on one engine move it once. A source that fails and then does
        not answer a ping is marked down and the next holder is tried; when none is left,
        `ImageLost` says the image must be made again.
        """
        with self._lock:
            lock = self._moving.setdefault((image_id, target), threading.Lock())
        with lock:
            done = None
            while done is None and target not in self.holders(image_id):
                sources = [name for name in self.holders(image_id) if name != target]
                if not sources:
                    raise ImageLost(f"{image_id} was only on engines that are down")
                try:
                    done = self._copy(image_id, sources[0], target, refs, handle)
                except EngineError:
                    reason = self.member(sources[0]).engine.ping()
                    if reason is None:
                        raise
                    self.mark_down(sources[0], reason)
                    continue
                self.record(target, image_id, refs=refs)
            missing = [ref for ref in refs if not self.tag_points_at(target, ref, image_id)]
            if missing:
                self.member(target).engine.tag(image_id, tuple(missing))
                self.record(target, image_id, refs=missing)
            return done

    def _copy(
        self,
        image_id: str,
        source: str,
        target: str,
        refs: Sequence[str],
        handle: CancelHandle | None,
    ) -> Move:
        source_engine = self.member(source).engine
        target_engine = self.member(target).engine
        if self.transfer_registry is None:
            loaded = target_engine.load(source_engine.save(image_id), handle)
            if loaded != image_id:
                raise EngineError(f"moving {image_id} to {target} gave {loaded}")
            target_engine.tag(image_id, tuple(refs))
            return Move(image_id, source, target, "stream")
        ref = transfer_ref(self.transfer_registry, image_id)
        transfer = split_ref(ref)
        source_engine.tag(image_id, (ref,))
        auth = auth_for_ref(ref)  # the transfer registry may want credentials like any other
        try:
            source_engine.push(transfer.repository, transfer.tag or "latest", auth)
        finally:
            source_engine.untag(ref)
        pulled = target_engine.pull(ref, handle, auth)
        if pulled != image_id:
            raise EngineError(f"moving {image_id} through {self.transfer_registry} gave {pulled}")
        # Named by the refs first, so dropping the transfer tag does not drop the image.
        target_engine.tag(image_id, tuple(refs))
        target_engine.untag(ref)
        return Move(image_id, source, target, "registry")


def transfer_ref(registry: str, image_id: str) -> str:
    """Where an image waits in the transfer registry: named by its ID, so any run can reuse it."""
    return f"{registry.rstrip('/')}/{TRANSFER_REPOSITORY}:{image_id.removeprefix('sha256:')}"


def _state(inventory: Inventory) -> _State:
    return _State(
        ids=set(inventory.ids),
        digests=dict(inventory.by_digest),
        tags=dict(inventory.tags),
        repositories={split_ref(ref).repository for ref in inventory.tags},
    )


# -- building a pool from the config and the command line ------------------------------------


def make_pool(
    config: EnginesConfig,
    urls: Sequence[str] = (),
    *,
    make_engine: Callable[[EngineHost], ContainerEngine] | None = None,
) -> Pool:
    """The run's pool: --engine URLs only when given (with the config's settings for any URL it
    names), else the config's hosts, else the one engine DOCKER_HOST names."""
    for url in urls:
        if not url.startswith(ENGINE_SCHEMES):
            raise UsageError(
                f"--engine {url!r} is not an engine URL",
                hint="write unix:///PATH, tcp://HOST:PORT or ssh://USER@HOST",
            )
    hosts = _named(urls, config.hosts) if urls else config.hosts
    factory = make_engine or (lambda host: Engine(host.url, tls=host.tls))
    if not hosts:
        return Pool((Member(DEFAULT_NAME, Engine()),), config.transfer_registry)
    return Pool(
        tuple(Member(host.name, factory(host), host.jobs, host.platforms) for host in hosts),
        config.transfer_registry,
    )


def _named(urls: Sequence[str], configured: Sequence[EngineHost]) -> tuple[EngineHost, ...]:
    """--engine URLs as hosts: a configured URL keeps its name and settings, the others are
    e1, e2, ... (skipping names the configured ones use)."""
    by_url = {host.url: host for host in configured}
    taken = {by_url[url].name for url in urls if url in by_url}
    hosts = []
    number = 0
    for url in dict.fromkeys(urls):
        if url in by_url:
            hosts.append(by_url[url])
            continue
        number += 1
        while f"e{number}" in taken:
            number += 1
        hosts.append(EngineHost(f"e{number}", url))
    return tuple(hosts)


def eligible_members(
    members: Sequence[Member],
    engine: str | None,
    platform: Platform | None,
    *,
    emulation: bool = True,
) -> list[Member]:
    """Where an image may build: the engine it names, if any; for a platform variant, the
    engines that can build that platform, and only the native ones when one of them is up
    (emulation is many times slower; `emulation = false` allows nothing else)."""
    named = [member for member in members if engine in (None, member.name)]
    if platform is None:
        return named
    able = [member for member in named if member.build_platforms().can_build(platform)]
    native = [member for member in able if member.build_platforms().is_native(platform)]
    return native if native or not emulation else able


def check_placements(config: Config, pool: Pool) -> None:
    """Every `engine = NAME` of an image names an engine of this pool."""
    names = [member.name for member in pool.members]
    for spec in config.images.values():
        if spec.engine is not None and spec.engine not in names:
            key = ["images", spec.name, "engine"]
            raise ConfigError(
                f"{'.'.join(key)}: {spec.engine!r} is not an engine of this pool",
                path=config.path,
                line=config.line(key),
                hint=f"engines: {', '.join(names)}",
            )


def describe_pool(pool: Pool) -> str:
    if not pool.is_pool:
        return pool.primary.url
    return ", ".join(f"{member.name}={member.url}" for member in pool.members)
