"""Runs a plan: images in dependency order, independent ones in parallel, events out.

A plain dependency-order executor. An image is ready when its dependencies are done; it starts
when an engine it may build on has a free slot (`jobs` per engine; one engine is a pool of one
with -j slots), on the engine `builder.placement` picks. The image worker
(`builder.worker`) does the rest and never raises. An image whose dependency failed is not
started ("upstream failed"). After a failure no new build starts (running ones finish) unless
`keep_going`, which builds everything not downstream of a failure. Ctrl-C cancels running
builds in the engine (their sockets are shut, so the engine stops them and removes their
containers) and waits for them. In a pool, an engine that stops answering is marked down
(`builder.pool_health` pings busy ones) and what ran there is retried on the others, with the
images that were only there built again (`builder.moves.orphans`). Every run ends with
`RunFinished` and a result for every image of the plan.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from builder.events import (
    Emit,
    EngineDown,
    ImageFinished,
    ImageLog,
    ImageResult,
    RunFinished,
    RunStarted,
    Status,
)
from builder.inputs import InputResolver
from builder.moves import orphans
from builder.placement import RunPlacer
from builder.plan import Plan
from builder.pool import Pool, describe_pool, eligible_members
from builder.pool_health import HEALTH_POLL, HealthCheck
from builder.records import CancelHandle
from builder.worker import ImageWorker, Lost, Orphaned, Outcome

if TYPE_CHECKING:
    from builder.remote_cache import RemoteCache


@dataclass(frozen=True)
class RunOptions:
    jobs: int = 1
    keep_going: bool = False
    no_cache: bool = False
    # In a pool, engines with running builds are pinged this often: one that hangs (accepts
    # connections, answers nothing) is marked down and its builds go elsewhere.
    health_interval: float = 15.0
    remote_cache: RemoteCache | None = None  # where images are looked up and stored, if any


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


@dataclass
class _Run:
    """The executor's state: what is pending, running and done, and the free slots."""

    plan: Plan
    pool: Pool
    options: RunOptions
    emit: Emit
    worker: ImageWorker
    placer: RunPlacer
    results: dict[str, ImageResult]
    pending: list[str]
    free: dict[str, int]
    handles: dict[str, CancelHandle] = field(default_factory=dict)
    running: dict[Future[Outcome], tuple[str, str]] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)  # engines whose EngineDown was emitted
    stop_reason: str | None = None
    interrupted: bool = False

    def __post_init__(self) -> None:
        self.by_name = {image.name: image for image in self.plan.images}
        self.position = {image.name: number for number, image in enumerate(self.plan.images)}
        self.handles = {name: CancelHandle() for name in self.pending}

    def loop(self, executor: ThreadPoolExecutor, health: HealthCheck) -> None:
        """Start what is ready, wait for a build to end, take its outcome; until all are."""
        while self.pending or self.running:
            try:
                if self.stop_reason is None:
                    self.start_ready(executor)
                if not self.running:
                    return
                timeout = HEALTH_POLL if self.pool.is_pool else None
                done, _ = wait(self.running, timeout=timeout, return_when=FIRST_COMPLETED)
                if self.pool.is_pool:
                    health.poll(self.running.values())
                for future in done:
                    self.take(future)
            except KeyboardInterrupt:
                self.interrupted, self.stop_reason = True, "interrupted"
                for name, _engine in self.running.values():
                    self.cancel(name)

    def start_ready(self, executor: ThreadPoolExecutor) -> None:
        """Start every pending image whose dependencies are done, while slots are free."""
        up = self.pool.up()
        for name in list(self.pending):
            planned = self.by_name[name]
            upstream = [self.results.get(dep) for dep in planned.dependencies]
            blocked = [r.name for r in upstream if r is not None and not r.status.ok]
            if blocked:
                reason = f"upstream failed: {', '.join(blocked)}"
                self.finish(ImageResult(name=name, status=Status.NOT_STARTED, reason=reason))
                continue
            if any(r is None for r in upstream):
                continue
            wanted = planned.spec.engine
            eligible = eligible_members(
                up, wanted, planned.platform, emulation=planned.spec.emulation
            )
            if not eligible:
                error = self._no_engine(wanted)
                self.finish(ImageResult(name=name, status=Status.FAILED, error=error))
                continue
            if not any(self.free[member.name] > 0 for member in up):
                return
            member = self.placer.place(planned, eligible, self.free)
            if member is None:
                continue
            self.pending.remove(name)
            self.free[member.name] -= 1
            future = executor.submit(self.worker, planned, member, self.handles[name])
            self.running[future] = (name, member.name)

    def _no_engine(self, wanted: str | None) -> str:
        down = dict(self.pool.down)
        if wanted in down:
            return f"its engine {wanted} is down ({down[wanted]})"
        return "no engine left: " + ", ".join(f"{e} is down ({why})" for e, why in down.items())

    def take(self, future: Future[Outcome]) -> None:
        """A build ended: record its result, or put it back to retry after its engine died."""
        name, engine = self.running.pop(future)
        self.free[engine] += 1
        outcome = future.result()
        if isinstance(outcome, Lost):
            if self.pool.mark_down(engine, outcome.reason):
                self.reported.add(engine)
                self.emit(EngineDown(engine, outcome.reason, (name,)))
            self.emit(ImageLog(name, f"engine {engine} went down; retrying on another"))
        for other in sorted(set(self.pool.down) - self.reported):  # found down by a move
            self.reported.add(other)
            self.emit(EngineDown(other, self.pool.down[other]))
        if isinstance(outcome, Lost | Orphaned):
            self.retry(name)
            return
        self.finish(outcome)
        if outcome.status is Status.FAILED and not self.options.keep_going:
            self.stop_reason = self.stop_reason or f"stopped after {name} failed"

    def retry(self, name: str) -> None:
        """Build `name` again, after the images it needs that were lost with their engine."""
        self.handles[name] = CancelHandle()
        self.pending.append(name)
        needed = {dep for pending in self.pending for dep in self.by_name[pending].dependencies}
        for lost in orphans(self.pool, self.results, needed):
            del self.results[lost]
            self.placer.forget_digests()
            self.handles[lost] = CancelHandle()
            self.pending.append(lost)
            text = "its image was only on engines that are down; building it again"
            self.emit(ImageLog(lost, text))
        self.pending.sort(key=self.position.__getitem__)

    def cancel(self, name: str) -> None:
        self.handles[name].cancel()

    def finish(self, result: ImageResult) -> None:
        platform = self.by_name[result.name].platform
        if platform is not None:  # every result says it, built or not
            result = replace(result, platform=str(platform))
        if result.name in self.pending:
            self.pending.remove(result.name)
        self.results[result.name] = result
        self.emit(ImageFinished(result))


def run_plan(
    plan: Plan, pool: Pool, resolver: InputResolver, options: RunOptions, emit: Emit
) -> RunResult:
    """Build the plan's images; return every image's result, in plan order."""
    results: dict[str, ImageResult] = {}
    worker = ImageWorker(
        plan.graph,
        pool,
        resolver,
        results,
        emit,
        no_cache=options.no_cache,
        cache=options.remote_cache,
    )
    placer = RunPlacer(pool, plan.graph, resolver, results, no_cache=options.no_cache)
    order = [image.name for image in plan.images]
    free = {member.name: member.slots(options.jobs) for member in pool.members}
    run = _Run(plan, pool, options, emit, worker, placer, results, list(order), free)
    emit(RunStarted(tuple(order), sum(free.values()), describe_pool(pool)))
    for name, reason in list(pool.down.items()):
        run.reported.add(name)
        emit(EngineDown(name, reason))
    started = time.monotonic()
    health = HealthCheck(pool, emit, run.cancel, options.health_interval, run.reported)
    slots = max(1, sum(free.values()))
    with ThreadPoolExecutor(max_workers=slots, thread_name_prefix="build") as executor:
        run.loop(executor, health)
    health.close()
    for name in order:
        if name not in results:
            reason = run.stop_reason or "not started"
            run.finish(ImageResult(name=name, status=Status.NOT_STARTED, reason=reason))
    ordered = tuple(results[name] for name in order)
    seconds = round(time.monotonic() - started, 3)
    emit(RunFinished(ordered, seconds, run.interrupted))
    return RunResult(ordered, seconds, run.interrupted, dict(pool.down), len(pool.members))
