"""Runs a plan: images in dependency order, independent ones in parallel, events out.

An image starts as soon as its own dependencies are done. After a failure no new build starts
(running ones finish) unless `keep_going`, which builds everything not downstream of a failure.
Ctrl-C cancels running builds in the engine (their sockets are shut, so the engine stops them
and removes their containers) and waits for them; tags are applied by the worker only after a
successful build, all of an image's tags in one go, so an interrupt never leaves half of them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial

from builder import buildkit
from builder.engine import (
    INPUT_DIGEST_LABEL,
    BuildCancelled,
    BuildOutput,
    BuildRequest,
    CancelHandle,
    Engine,
    StepFailed,
)
from builder.errors import ImgbuildError
from builder.events import (
    Emit,
    ImageFinished,
    ImageLog,
    ImageResult,
    ImageStarted,
    ImageStep,
    RunFinished,
    RunStarted,
    Status,
)
from builder.labels import with_labels
from builder.plan import MISSING, InputResolver, Plan, PlannedImage, build_labels


@dataclass(frozen=True)
class RunOptions:
    jobs: int = 1
    keep_going: bool = False
    no_cache: bool = False


@dataclass(frozen=True)
class RunResult:
    results: tuple[ImageResult, ...]
    seconds: float
    interrupted: bool = False

    @property
    def failed(self) -> bool:
        return any(result.status is Status.FAILED for result in self.results)

    def result(self, name: str) -> ImageResult:
        return next(result for result in self.results if result.name == name)


@dataclass
class _Run:
    plan: Plan
    engine: Engine
    resolver: InputResolver
    options: RunOptions
    emit: Emit
    results: dict[str, ImageResult] = field(default_factory=dict)
    handles: dict[str, CancelHandle] = field(default_factory=dict)

    def build_one(self, planned: PlannedImage) -> ImageResult:
        """The worker: resolve inputs, skip or build, then tag. Never raises."""
        name = planned.name
        started = time.time()
        handle = self.handles[name]
        self.emit(ImageStarted(name))
        digest: str | None = None
        try:
            dependency_ids = {
                dep: self.results[dep].image_id or MISSING for dep in planned.dependencies
            }
            node = self.plan.graph.nodes[name]
            self._ensure_bases(node.external_bases, handle)
            digest = self.resolver.digest(node, dependency_ids)
            existing = None if self.options.no_cache else self.engine.find_by_input_digest(digest)
            if existing is not None:
                self.engine.tag(existing, planned.refs)
                return self._result(planned, Status.SKIPPED, started, existing, digest,
                                    reason="inputs unchanged")
            request = self._request(planned, digest)
            on_output = partial(self._output, name)
            if planned.builder == "buildkit":
                image_id = buildkit.build(request, self.engine.url, on_output, handle)
            else:
                image_id = self.engine.build(request, on_output, handle)
            if handle.cancelled.is_set():
                return self._result(planned, Status.FAILED, started, None, digest,
                                    error="interrupted before tagging")
            self.engine.tag(image_id, planned.refs)
            return self._result(planned, Status.BUILT, started, image_id, digest)
        except BuildCancelled:
            return self._result(planned, Status.FAILED, started, None, digest,
                                error="interrupted")
        except StepFailed as failure:
            return self._result(planned, Status.FAILED, started, None, digest,
                                error=failure.message, step=failure.step, log=failure.log)
        except ImgbuildError as error:
            return self._result(planned, Status.FAILED, started, None, digest, error=str(error))

    def _ensure_bases(self, refs: tuple[str, ...], handle: CancelHandle) -> None:
        for ref in refs:
            if self.resolver.external_base_id(ref) == MISSING:
                try:
                    self.engine.pull(ref, handle)
                except ImgbuildError as error:
                    raise ImgbuildError(
                        f"base image {ref} is not in the engine and could not be pulled "
                        f"({error.message})",
                        hint="build or load it first, or fix the FROM line",
                    ) from error
                self.resolver.forget_base(ref)

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
        status: Status,
        started: float,
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
        )


def run_plan(
    plan: Plan, engine: Engine, resolver: InputResolver, options: RunOptions, emit: Emit
) -> RunResult:
    """Build the plan's images; return every image's result, in plan order."""
    run = _Run(plan, engine, resolver, options, emit)
    order = [image.name for image in plan.images]
    by_name = {image.name: image for image in plan.images}
    run.handles = {name: CancelHandle() for name in order}
    emit(RunStarted(tuple(order), options.jobs, engine.url))
    started = time.monotonic()
    pending = list(order)
    running: dict[Future[ImageResult], str] = {}
    stop_reason: str | None = None
    interrupted = False
    with ThreadPoolExecutor(max_workers=max(1, options.jobs), thread_name_prefix="build") as pool:
        while pending or running:
            try:
                if stop_reason is None:
                    _start_ready(run, by_name, pending, running, pool)
                if not running:
                    break
                done, _ = wait(running, return_when=FIRST_COMPLETED)
            except KeyboardInterrupt:
                interrupted, stop_reason = True, "interrupted"
                for name in running.values():
                    run.handles[name].cancel()
                continue
            for future in done:
                name = running.pop(future)
                result = future.result()
                run.results[name] = result
                emit(ImageFinished(result))
                if result.status is Status.FAILED and not options.keep_going and not stop_reason:
                    stop_reason = f"stopped after {name} failed"
    for name in pending:
        run.results[name] = ImageResult(
            name=name, status=Status.NOT_STARTED, reason=stop_reason or "not started"
        )
        emit(ImageFinished(run.results[name]))
    results = tuple(run.results[name] for name in order)
    seconds = round(time.monotonic() - started, 3)
    emit(RunFinished(results, seconds, interrupted))
    return RunResult(results, seconds, interrupted)


def _start_ready(
    run: _Run,
    by_name: Mapping[str, PlannedImage],
    pending: list[str],
    running: dict[Future[ImageResult], str],
    pool: ThreadPoolExecutor,
) -> None:
    for name in list(pending):
        planned = by_name[name]
        upstream = [run.results.get(dep) for dep in planned.dependencies]
        blocked = [r.name for r in upstream if r is not None and not r.status.ok]
        if blocked:
            pending.remove(name)
            run.results[name] = ImageResult(
                name=name,
                status=Status.NOT_STARTED,
                reason=f"upstream failed: {', '.join(blocked)}",
            )
            run.emit(ImageFinished(run.results[name]))
            continue
        if any(r is None for r in upstream) or len(running) >= run.options.jobs:
            continue
        pending.remove(name)
        running[pool.submit(run.build_one, planned)] = name
