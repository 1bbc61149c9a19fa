"""Runs a plan: images in dependency order, independent ones in parallel, events out.

An image starts as soon as its own dependencies are done and an engine of the pool has a free
slot (`jobs` per engine; one engine is a pool of one with -j slots). Placement prefers an
engine holding the image's result, then its dependencies, then its previous build (see
`builder.pool.choose`); what it needs from other engines is moved there first. An engine that
stops answering (a failure, then a ping that fails too) is marked down and what ran there is
retried on the others; a failed step on an engine that answers is a build failure, never
retried. After a failure no new build starts
(running ones finish) unless `keep_going`, which builds everything not downstream of a failure.
Ctrl-C cancels running builds in the engine (their sockets are shut, so the engine stops them
and removes their containers) and waits for them; tags are applied by the worker only after a
successful build, all of an image's tags in one go, so an interrupt never leaves half of them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial

from builder import buildkit
from builder.errors import ImgbuildError
from builder.events import (
    Emit,
    EngineDown,
    ImageFinished,
    ImageLog,
    ImageMoved,
    ImageResult,
    ImageStarted,
    ImageStep,
    RunFinished,
    RunStarted,
    Status,
)
from builder.labels import with_labels
from builder.plan import MISSING, InputResolver, Plan, PlannedImage, build_labels
from builder.pool import Candidate, ImageLost, Member, Pool, choose, describe_pool
from builder.records import (
    INPUT_DIGEST_LABEL,
    BuildCancelled,
    BuildOutput,
    BuildRequest,
    CancelHandle,
    StepFailed,
)


@dataclass(frozen=True)
class RunOptions:
    jobs: int = 1
    keep_going: bool = False
    no_cache: bool = False
    # In a pool, engines with running builds are pinged this often: one that hangs (accepts
    # connections, answers nothing) is marked down and its builds go elsewhere.
    health_interval: float = 15.0


@dataclass(frozen=True)
class RunResult:
    results: tuple[ImageResult, ...]
    seconds: float
    interrupted: bool = False
    engines_down: Mapping[str, str] = field(default_factory=dict)  # name -> why
    pool_size: int = 1

    @property
    def failed(self) -> bool:
        return any(result.status is Status.FAILED for result in self.results)

    def result(self, name: str) -> ImageResult:
        return next(result for result in self.results if result.name == name)


@dataclass(frozen=True)
class _Lost:
    """The engine stopped answering while the image was on it: retry it elsewhere."""

    engine: str
    reason: str


@dataclass(frozen=True)
class _Orphaned:
    """A dependency's image was only on engines that went down: build both again."""

    reason: str


@dataclass
class _Run:
    plan: Plan
    pool: Pool
    resolver: InputResolver
    options: RunOptions
    emit: Emit
    results: dict[str, ImageResult] = field(default_factory=dict)
    handles: dict[str, CancelHandle] = field(default_factory=dict)
    edge_refs: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    _digests: dict[str, str | None] = field(default_factory=dict)

    def build_one(self, planned: PlannedImage, member: Member) -> ImageResult | _Lost | _Orphaned:
        """The worker: resolve inputs, skip or build, then tag. Never raises."""
        name = planned.name
        started = time.time()
        handle = self.handles[name]
        self.emit(ImageStarted(name, member.name if self.pool.is_pool else None))
        result = partial(self._result, planned, member, started)
        digest: str | None = None
        try:
            dependency_ids = {
                dep: self.results[dep].image_id or MISSING for dep in planned.dependencies
            }
            node = self.plan.graph.nodes[name]
            self._ensure_bases(name, node.external_bases, member, handle)
            digest = self.resolver.digest(node, dependency_ids)
            existing = (
                None if self.options.no_cache else self._existing(planned, digest, member, handle)
            )
            if existing is not None:
                return result(Status.SKIPPED, existing, digest, reason="inputs unchanged")
            self._move_dependencies(planned, member, handle)
            request = self._request(planned, digest)
            on_output = partial(self._output, name)
            if planned.builder == "buildkit":
                image_id = buildkit.build(request, member.url, on_output, handle)
            else:
                image_id = member.engine.build(request, on_output, handle)
            if handle.cancelled.is_set():
                return result(Status.FAILED, None, digest, error="interrupted before tagging")
            member.engine.tag(image_id, planned.refs)
            self.pool.record(member.name, image_id, digest=digest, refs=planned.refs)
            return result(Status.BUILT, image_id, digest)
        except BuildCancelled:
            if not self.pool.is_up(member.name):  # cancelled because its engine hangs
                return _Lost(member.name, self.pool.down.get(member.name, "down"))
            return result(Status.FAILED, None, digest, error="interrupted")
        except ImageLost as error:
            return _Orphaned(error.message)
        except ImgbuildError as error:
            lost = self._lost(member, handle)
            if lost is not None:
                return lost
            if isinstance(error, StepFailed):
                return result(
                    Status.FAILED, None, digest, error=error.message, step=error.step, log=error.log
                )
            return result(Status.FAILED, None, digest, error=str(error))

    def _lost(self, member: Member, handle: CancelHandle) -> _Lost | None:
        """After a failure: is it the engine (it no longer answers) rather than the build?

        A BuildKit build whose engine died ends like a failed step (the client exits non-zero),
        so the engine is asked, not the exception. With no other engine left, it stays an
        ordinary failure.
        """
        if not self.pool.is_up(member.name):
            return _Lost(member.name, self.pool.down.get(member.name, "down"))
        if handle.cancelled.is_set() or len(self.pool.up()) < 2:
            return None
        reason = member.engine.ping()
        return None if reason is None else _Lost(member.name, reason)

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
        self._move(planned.name, planned.name, image_id, member, planned.refs, handle)
        return image_id

    def _ensure_bases(
        self, name: str, refs: tuple[str, ...], member: Member, handle: CancelHandle
    ) -> None:
        for ref in refs:
            base_id = self.resolver.external_base_id(ref)
            if base_id == MISSING:
                try:
                    pulled = member.engine.pull(ref, handle)
                except ImgbuildError as error:
                    raise ImgbuildError(
                        f"base image {ref} is not in the engine and could not be pulled "
                        f"({error.message})",
                        hint="build or load it first, or fix the FROM line",
                    ) from error
                self.resolver.forget_base(ref)
                self.pool.record(member.name, pulled, refs=_tag_refs((ref,)))
            elif self.pool.is_pool:
                self._move(name, ref, base_id, member, _tag_refs((ref,)), handle)

    def _move_dependencies(
        self, planned: PlannedImage, member: Member, handle: CancelHandle
    ) -> None:
        for dependency in planned.dependencies:
            image_id = self.results[dependency].image_id
            if image_id is not None:
                refs = self.edge_refs.get((dependency, planned.name), ())
                self._move(planned.name, dependency, image_id, member, refs, handle)

    def _move(
        self,
        name: str,
        what: str,
        image_id: str,
        member: Member,
        refs: tuple[str, ...],
        handle: CancelHandle,
    ) -> None:
        started = time.monotonic()
        move = self.pool.move(image_id, member.name, refs, handle)
        if move is not None:
            seconds = round(time.monotonic() - started, 3)
            self.emit(ImageMoved(name, what, move.source, move.target, move.via, seconds))

    def place(
        self, planned: PlannedImage, eligible: list[Member], free: Mapping[str, int]
    ) -> Member | None:
        """The engine with a free slot that `planned` should go to now, or None to wait."""
        open_ = [member for member in eligible if free[member.name] > 0]
        if len(eligible) == 1 or not open_:
            return open_[0] if open_ else None
        digest = self._digest(planned)
        found = self.pool.with_digest(digest) if digest else {}
        holders = [member for member in eligible if member.name in found]
        if holders:
            # A skip there beats a copy elsewhere: wait for a holder's slot.
            open_ = [member for member in holders if free[member.name] > 0]
        node = self.plan.graph.nodes[planned.name]
        images = [self.results[dep].image_id for dep in planned.dependencies]
        images += [self.resolver.external_base_id(ref) for ref in node.external_bases]
        locations = [self.pool.holders(image) for image in images if image and image != MISSING]
        chosen = choose(
            [
                Candidate(
                    name=member.name,
                    holds_digest=member.name in found,
                    dependencies_held=sum(member.name in where for where in locations),
                    affinity=self.pool.has_repository(member.name, planned.spec.repository),
                    free=free[member.name],
                )
                for member in open_
            ]
        )
        return next((member for member in open_ if member.name == chosen), None)

    def forget_digests(self) -> None:
        """A dependency is being built again: the digests placement computed are stale."""
        self._digests.clear()

    def _digest(self, planned: PlannedImage) -> str | None:
        """The image's input digest for placement (its dependencies are done), or None."""
        if self.options.no_cache:
            return None
        if planned.name not in self._digests:
            ids = {dep: self.results[dep].image_id or MISSING for dep in planned.dependencies}
            try:
                digest: str | None = self.resolver.digest(self.plan.graph.nodes[planned.name], ids)
            except ImgbuildError:
                digest = None  # the worker meets the same problem and reports it
            self._digests[planned.name] = digest
        return self._digests[planned.name]

    def _request(self, planned: PlannedImage, digest: str) -> BuildRequest:
        node = self.plan.graph.nodes[planned.name]
        spec = node.spec
        labels = {**build_labels(spec), **planned.extra_labels, INPUT_DIGEST_LABEL: digest}
        return BuildRequest(
            name=planned.name,
            dockerfile_text=with_labels(node.dockerfile, node.dockerfile_text, labels, spec.target),
            context=self.resolver.snapshot(node),
            args=spec.args,
            target=spec.target,
            network=spec.network,
            no_cache=self.options.no_cache,
            secrets=spec.secrets,
        )

    def _output(self, name: str, output: BuildOutput) -> None:
        if output.step is not None and output.steps is not None:
            self.emit(ImageStep(name, output.step, output.steps, output.text))
        else:
            self.emit(ImageLog(name, output.text))

    def _result(
        self,
        planned: PlannedImage,
        member: Member,
        started: float,
        status: Status,
        image_id: str | None,
        digest: str | None,
        *,
        error: str | None = None,
        step: str | None = None,
        log: tuple[str, ...] = (),
        reason: str | None = None,
    ) -> ImageResult:
        finished = time.time()
        return ImageResult(
            name=planned.name,
            status=status,
            refs=planned.refs if status.ok else (),
            image_id=image_id,
            input_digest=digest,
            seconds=round(finished - started, 3),
            started_at=started,
            finished_at=finished,
            error=error,
            failed_step=step,
            log_tail=log[-10:],
            reason=reason,
            builder=planned.builder,
            engine=member.name,
        )


def _tag_refs(refs: tuple[str, ...]) -> tuple[str, ...]:
    """Refs as tags to apply: with their tag (":latest" when none); digest-pinned ones are
    found by digest, not by a tag, so they get none."""
    tagged = []
    for ref in refs:
        if "@" in ref:
            continue
        tagged.append(ref if ":" in ref.rsplit("/", 1)[-1] else f"{ref}:latest")
    return tuple(tagged)


def run_plan(
    plan: Plan, pool: Pool, resolver: InputResolver, options: RunOptions, emit: Emit
) -> RunResult:
    """Build the plan's images; return every image's result, in plan order."""
    run = _Run(plan, pool, resolver, options, emit)
    for edge in plan.graph.edges:
        if edge.ref is not None:
            key = (edge.dependency, edge.dependent)
            run.edge_refs[key] = (*run.edge_refs.get(key, ()), *_tag_refs((edge.ref,)))
    order = [image.name for image in plan.images]
    position = {name: number for number, name in enumerate(order)}
    by_name = {image.name: image for image in plan.images}
    run.handles = {name: CancelHandle() for name in order}
    free = {member.name: member.slots(options.jobs) for member in pool.members}
    emit(RunStarted(tuple(order), sum(free.values()), describe_pool(pool)))
    for name, reason in list(pool.down.items()):
        emit(EngineDown(name, reason))
    started = time.monotonic()
    pending = list(order)
    running: dict[Future[ImageResult | _Lost | _Orphaned], tuple[str, str]] = {}
    reported = set(pool.down)
    stop_reason: str | None = None
    interrupted = False
    health = _HealthCheck(run, options.health_interval, reported)
    with ThreadPoolExecutor(
        max_workers=max(1, sum(free.values())), thread_name_prefix="build"
    ) as executor:
        while pending or running:
            try:
                if stop_reason is None:
                    _start_ready(run, by_name, pending, running, executor, free)
                if not running:
                    break
                timeout = _HEALTH_POLL if pool.is_pool else None
                done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                if pool.is_pool:
                    health.poll(running.values())
            except KeyboardInterrupt:
                interrupted, stop_reason = True, "interrupted"
                for name, _member in running.values():
                    run.handles[name].cancel()
                continue
            for future in done:
                name, member = running.pop(future)
                free[member] += 1
                outcome = future.result()
                if isinstance(outcome, _Lost):
                    if pool.mark_down(member, outcome.reason):
                        reported.add(member)
                        emit(EngineDown(member, outcome.reason, (name,)))
                    emit(ImageLog(name, f"engine {member} went down; retrying on another"))
                for engine in sorted(set(pool.down) - reported):  # found down by a move
                    reported.add(engine)
                    emit(EngineDown(engine, pool.down[engine]))
                if isinstance(outcome, _Lost | _Orphaned):
                    run.handles[name] = CancelHandle()
                    pending.append(name)
                    _rebuild_orphans(run, by_name, pending)
                    pending.sort(key=position.__getitem__)
                    continue
                run.results[name] = outcome
                emit(ImageFinished(outcome))
                if outcome.status is Status.FAILED and not options.keep_going and not stop_reason:
                    stop_reason = f"stopped after {name} failed"
    health.close()
    for name in pending:
        run.results[name] = ImageResult(
            name=name, status=Status.NOT_STARTED, reason=stop_reason or "not started"
        )
        emit(ImageFinished(run.results[name]))
    results = tuple(run.results[name] for name in order)
    seconds = round(time.monotonic() - started, 3)
    emit(RunFinished(results, seconds, interrupted))
    return RunResult(results, seconds, interrupted, dict(pool.down), len(pool.members))


_HEALTH_POLL = 0.5  # seconds between looks at finished builds and health answers in a pool


class _HealthCheck:
    """Pings every engine that has builds running, every `interval` seconds, off the main
    thread (a hung engine takes the ping's timeout to answer). One that fails two pings in a
    row is marked down and its builds are cancelled, which returns them for a retry."""

    def __init__(self, run: _Run, interval: float, reported: set[str]) -> None:
        self.run = run
        self.interval = interval
        self.reported = reported
        self.next = time.monotonic() + interval
        self.asked: Future[dict[str, str | None]] | None = None
        self._pings = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")

    def poll(self, running: Iterable[tuple[str, str]]) -> None:
        running = list(running)
        if self.asked is not None and self.asked.done():
            self._apply(self.asked.result(), running)
            self.asked = None
        if self.asked is not None or time.monotonic() < self.next:
            return
        self.next = time.monotonic() + self.interval
        busy = sorted({engine for _, engine in running if self.run.pool.is_up(engine)})
        if busy and len(self.run.pool.up()) > 1:  # the last engine is waited for
            self.asked = self._pings.submit(self._ask, busy)

    def close(self) -> None:
        """Stop without waiting for a ping still out (it times out on its own)."""
        self._pings.shutdown(wait=False, cancel_futures=True)

    def _ask(self, engines: list[str]) -> dict[str, str | None]:
        with ThreadPoolExecutor(max_workers=min(16, len(engines))) as pinging:
            return dict(zip(engines, pinging.map(self._ping_twice, engines), strict=True))

    def _ping_twice(self, engine: str) -> str | None:
        # A busy engine may miss one ping: down only when a second one fails too.
        first = self.run.pool.member(engine).engine.ping()
        return first and self.run.pool.member(engine).engine.ping()

    def _apply(self, answers: Mapping[str, str | None], running: list[tuple[str, str]]) -> None:
        for engine, reason in answers.items():
            if reason is None or not self.run.pool.mark_down(engine, reason):
                continue
            self.reported.add(engine)
            names = tuple(name for name, where in running if where == engine)
            self.run.emit(EngineDown(engine, reason, names))
            for name in names:
                self.run.handles[name].cancel()


def _rebuild_orphans(run: _Run, by_name: Mapping[str, PlannedImage], pending: list[str]) -> None:
    """Images done earlier whose only copies were on engines now down, and that a pending
    image still needs, are built again (their dependents wait for them)."""
    needed = {dep for name in pending for dep in by_name[name].dependencies}
    for name in sorted(needed):
        done = run.results.get(name)
        if done is None or not done.status.ok or done.image_id is None:
            continue
        if not run.pool.holders(done.image_id):
            del run.results[name]
            run.forget_digests()
            run.handles[name] = CancelHandle()
            pending.append(name)
            run.emit(
                ImageLog(name, "its image was only on engines that are down; building it again")
            )


def _start_ready(
    run: _Run,
    by_name: Mapping[str, PlannedImage],
    pending: list[str],
    running: dict[Future[ImageResult | _Lost | _Orphaned], tuple[str, str]],
    executor: ThreadPoolExecutor,
    free: dict[str, int],
) -> None:
    up = run.pool.up()
    for name in list(pending):
        planned = by_name[name]
        upstream = [run.results.get(dep) for dep in planned.dependencies]
        blocked = [r.name for r in upstream if r is not None and not r.status.ok]
        if blocked:
            _finish_unstarted(
                run,
                pending,
                name,
                Status.NOT_STARTED,
                reason=f"upstream failed: {', '.join(blocked)}",
            )
            continue
        if any(r is None for r in upstream):
            continue
        wanted = planned.spec.engine
        eligible = [member for member in up if wanted is None or member.name == wanted]
        if not eligible:
            down = dict(run.pool.down)
            listed = ", ".join(f"{engine} is down ({why})" for engine, why in down.items())
            error = (
                f"its engine {wanted} is down ({down[wanted]})"
                if wanted in down
                else f"no engine left: {listed}"
            )
            _finish_unstarted(run, pending, name, Status.FAILED, error=error)
            continue
        if not any(free[member.name] > 0 for member in up):
            return
        member = run.place(planned, eligible, free)
        if member is None:
            continue
        pending.remove(name)
        free[member.name] -= 1
        running[executor.submit(run.build_one, planned, member)] = (name, member.name)


def _finish_unstarted(
    run: _Run,
    pending: list[str],
    name: str,
    status: Status,
    *,
    reason: str | None = None,
    error: str | None = None,
) -> None:
    pending.remove(name)
    run.results[name] = ImageResult(name=name, status=status, reason=reason, error=error)
    run.emit(ImageFinished(run.results[name]))
