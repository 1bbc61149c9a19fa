"""The image worker: one image on one engine, from its inputs to its tags.

It resolves the image's input digest, skips it when an image built from those inputs exists
(moving that image here when it is on another engine), else moves what the build needs here,
builds with the plan's builder and applies all of the image's tags in one go, only after a
successful build, so an interrupt never leaves half of them. It never raises: every outcome is
a result, a `Lost` (the engine stopped answering: retry elsewhere) or an `Orphaned` (a
dependency's only copies went down with their engine: build it again).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING

from builder.builders import BUILDERS
from builder.cache_refs import CacheEntry, entry_ref
from builder.credentials import registry_key
from builder.errors import EngineError, ImgbuildError
from builder.events import Emit, ImageLog, ImageResult, ImageStarted, ImageStep, Status
from builder.graph import Graph
from builder.inputs import InputResolver, build_labels
from builder.labels import with_labels
from builder.moves import Mover
from builder.plan import Action, PlannedImage, newest_cache_ref
from builder.pool import ImageLost, Member, Pool
from builder.records import (
    INPUT_DIGEST_LABEL,
    BuildCancelled,
    BuildOutput,
    BuildRequest,
    CancelHandle,
    RegistryLogin,
    StepFailed,
)
from builder.refs import split_ref, split_registry
from builder.variants import rewritten_text

if TYPE_CHECKING:
    from builder.remote_cache import RemoteCache


@dataclass(frozen=True)
class Lost:
    """The engine stopped answering while the image was on it: retry it elsewhere."""

    engine: str
    reason: str


@dataclass(frozen=True)
class Orphaned:
    """A dependency's image was only on engines that went down: build both again."""

    reason: str


Outcome = ImageResult | Lost | Orphaned


@dataclass
class _Attempt:
    """One image on one engine: what every result of the attempt is made from."""

    planned: PlannedImage
    member: Member
    handle: CancelHandle
    started: float
    digest: str | None = None  # once known, so a failure after it still reports it

    def result(
        self,
        status: Status,
        image_id: str | None = None,
        *,
        error: str | None = None,
        step: str | None = None,
        log: tuple[str, ...] = (),
        reason: str | None = None,
        cache: str | None = None,
    ) -> ImageResult:
        finished = time.time()
        return ImageResult(
            name=self.planned.name,
            status=status,
            refs=self.planned.refs if status.ok else (),
            image_id=image_id,
            input_digest=self.digest,
            seconds=round(finished - self.started, 3),
            started_at=self.started,
            finished_at=finished,
            error=error,
            failed_step=step,
            log_tail=log[-10:],
            reason=reason,
            builder=self.planned.builder,
            engine=self.member.name,
            cache=cache,
        )


@dataclass
class ImageWorker:
    """Builds images of one run; `results` is the run's own (shared, updated as they finish)."""

    graph: Graph
    pool: Pool
    resolver: InputResolver
    results: Mapping[str, ImageResult]
    emit: Emit
    no_cache: bool = False
    cache: RemoteCache | None = None

    def __post_init__(self) -> None:
        self.mover = Mover(self.pool, self.graph, self.resolver, self.results, self.emit)

    def __call__(self, planned: PlannedImage, member: Member, handle: CancelHandle) -> Outcome:
        """Skip or build `planned` on `member`, then tag. Never raises."""
        attempt = _Attempt(planned, member, handle, time.time())
        try:
            self.emit(ImageStarted(planned.name, member.name if self.pool.is_pool else None))
            return self._build(attempt)
        except BuildCancelled:
            if not self.pool.is_up(member.name):  # cancelled because its engine hangs
                return Lost(member.name, self.pool.down.get(member.name, "down"))
            return attempt.result(Status.FAILED, error="interrupted")
        except ImageLost as error:
            return Orphaned(error.message)
        except ImgbuildError as error:
            lost = self._lost(member, handle)
            if lost is not None:
                return lost
            if isinstance(error, StepFailed):
                return attempt.result(
                    Status.FAILED, error=error.message, step=error.step, log=error.log
                )
            return attempt.result(Status.FAILED, error=str(error))
        except Exception as error:  # whatever broke, the run goes on and reports it
            text = f"unexpected error: {type(error).__name__}: {error}"
            return attempt.result(Status.FAILED, error=text)

    def _build(self, attempt: _Attempt) -> ImageResult:
        planned, member, handle = attempt.planned, attempt.member, attempt.handle
        node = self.graph.nodes[planned.name]
        ids = {dep: self.results[dep].image_id for dep in planned.dependencies}
        digest = attempt.digest = self.resolver.digest(node, ids)
        entry = planned.cache_entry if digest == planned.input_digest else None
        if entry is not None and planned.action is Action.COPY:  # nothing here needs it
            reason = f"in the cache ({entry.ref}); copied at publish"
            copied = attempt.result(Status.SKIPPED, entry.image_id, reason=reason, cache="copied")
            return replace(copied, refs=())  # no local tag names it: it stays in the registry
        self.mover.ensure_bases(planned.name, node.external_bases, member, handle)
        existing = None if self.no_cache else self._existing(planned, digest, member, handle)
        cached = "local" if node.spec.cache is not None and self.cache is not None else None
        if existing is not None:
            return attempt.result(Status.SKIPPED, existing, reason="inputs unchanged", cache=cached)
        if entry is not None and self.cache is not None:
            image_id = self._pull(entry, planned.refs, member, handle)
            self.pool.record(member.name, image_id, digest=digest, refs=planned.refs)
            reason = f"pulled from the cache ({entry.ref})"
            return attempt.result(Status.SKIPPED, image_id, reason=reason, cache="pulled")
        self.mover.move_dependencies(planned.name, planned.dependencies, member, handle)
        build = BUILDERS[planned.builder]
        on_output = partial(self._output, planned.name)
        request = self._request(planned, digest, member)
        image_id = build(request, member.engine, on_output, handle)
        if handle.cancelled.is_set():
            return attempt.result(Status.FAILED, error="interrupted before tagging")
        member.engine.tag(image_id, planned.refs)
        self.pool.record(member.name, image_id, digest=digest, refs=planned.refs)
        self._store(planned, digest, image_id, member)
        return attempt.result(Status.BUILT, image_id, cache=cached and "miss")

    def _pull(
        self, entry: CacheEntry, refs: tuple[str, ...], member: Member, handle: CancelHandle
    ) -> str:
        """The cache entry pulled into the engine, named by the image's refs instead of its
        cache ref. A pull keeps the image's ID (its config digest)."""
        assert self.cache is not None
        image_id = member.engine.pull(entry.ref, handle, self.cache.auth(entry.ref))
        if image_id != entry.image_id:
            raise EngineError(f"pulling {entry.ref} gave {image_id}, not {entry.image_id}")
        member.engine.tag(image_id, refs)
        member.engine.untag(entry.ref)
        return image_id

    def _store(self, planned: PlannedImage, digest: str, image_id: str, member: Member) -> None:
        """Put a built image in its cache registry (readwrite mode): a warning if it fails."""
        settings = planned.spec.cache
        if self.cache is None or settings is None or not settings.writes:
            return
        ref = entry_ref(settings, planned.spec.repository, digest)
        newest = newest_cache_ref(self.graph.nodes[planned.name])
        assert newest is not None  # the image has cache settings
        if self.cache.store(member.engine, image_id, ref, newest):
            self.emit(ImageLog(planned.name, f"stored in the cache as {ref}"))

    def _lost(self, member: Member, handle: CancelHandle) -> Lost | None:
        """After a failure: is it the engine (it no longer answers) rather than the build?

        A BuildKit build whose engine died ends like a failed step (the client exits non-zero),
        so the engine is asked, not the exception. With no other engine left, it stays an
        ordinary failure.
        """
        if not self.pool.is_up(member.name):
            return Lost(member.name, self.pool.down.get(member.name, "down"))
        if handle.cancelled.is_set() or len(self.pool.up()) < 2:
            return None
        reason = member.engine.ping()
        return None if reason is None else Lost(member.name, reason)

    def _existing(
        self, planned: PlannedImage, digest: str, member: Member, handle: CancelHandle
    ) -> str | None:
        """The image built from these inputs, brought to `member` and tagged, or None."""
        quick = self.pool.quick_match(digest, planned.refs)
        if quick is not None:
            return quick  # every ref already points at it
        found = self.pool.with_digest(digest)
        if not found:
            return None
        image_id = found.get(member.name) or next(iter(found.values()))
        if member.name in found:
            missing = [
                ref
                for ref in planned.refs
                if not self.pool.tag_points_at(member.name, ref, image_id)
            ]
            if not missing:
                return image_id
            if member.engine.image_id(image_id) is None:  # removed since the engine was listed
                self.pool.forget(member.name, image_id)
                return self._existing(planned, digest, member, handle)
        # On another engine only: copying it is cheaper than building it again.
        self.mover.move(planned.name, planned.name, image_id, member, planned.refs, handle)
        return image_id

    def _request(self, planned: PlannedImage, digest: str, member: Member) -> BuildRequest:
        node = self.graph.nodes[planned.name]
        spec = node.spec
        cache_from = self._cache_from(planned, member)
        labels = {**build_labels(spec), **planned.extra_labels, INPUT_DIGEST_LABEL: digest}
        return BuildRequest(
            name=planned.name,
            dockerfile_text=with_labels(node.dockerfile, rewritten_text(node), labels, spec.target),
            context=self.resolver.snapshot(node),
            args=spec.args,
            target=spec.target,
            network=spec.network,
            no_cache=self.no_cache,
            secrets=spec.secrets,
            platform=str(node.platform) if node.platform is not None else None,
            cache_from=cache_from,
            inline_cache=bool(spec.cache and spec.cache.writes and self.cache is not None),
            logins=self._logins(cache_from) if planned.builder == "buildkit" else (),
        )

    def _logins(self, refs: tuple[str, ...]) -> tuple[RegistryLogin, ...]:
        """The cache's credentials for the docker client of a BuildKit build, which reads the
        `cache_from` refs with its own config (found by the same lookup as publish)."""
        logins: dict[str, RegistryLogin] = {}
        for ref in refs:
            auth = self.cache.auth(ref) if self.cache is not None else None
            if auth is not None:
                # As Docker's config keys it (Docker Hub: https://index.docker.io/v1/).
                key = registry_key(split_registry(split_ref(ref).repository)[0])
                logins[key] = RegistryLogin(key, auth.username, auth.secret)
        return tuple(logins.values())

    def _cache_from(self, planned: PlannedImage, member: Member) -> tuple[str, ...]:
        """The newest cache entry of the image, for its build to reuse the layers that did
        not change. BuildKit reads it from the registry; the classic builder only from the
        engine, so it is pulled first (when there is none yet, the build goes without)."""
        ref = planned.cache_from
        if ref is None or self.cache is None:
            return ()
        if planned.builder == "classic":
            try:
                member.engine.pull(ref, None, self.cache.auth(ref))
            except ImgbuildError:
                return ()
        return (ref,)

    def _output(self, name: str, output: BuildOutput) -> None:
        if output.step is not None and output.steps is not None:
            self.emit(ImageStep(name, output.step, output.steps, output.text))
        else:
            self.emit(ImageLog(name, output.text))
