"""Bringing what an image needs to the engine it builds on: bases, dependencies, and the
images lost with an engine that went down (built again)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from builder.errors import ImgbuildError
from builder.events import Emit, ImageMoved, ImageResult
from builder.graph import Graph
from builder.inputs import MISSING, InputResolver
from builder.pool import Member, Pool
from builder.records import CancelHandle
from builder.refs import with_default_tag
from builder.registry_auth import auth_for_ref


def tag_refs(refs: Iterable[str]) -> tuple[str, ...]:
    """Refs as tags to apply: with their tag (":latest" when none); digest-pinned ones are
    found by digest, not by a tag, so they get none."""
    tagged = []
    for ref in refs:
        if "@" in ref:
            continue
        tagged.append(with_default_tag(ref))
    return tuple(tagged)


def edge_refs(graph: Graph) -> dict[tuple[str, str], tuple[str, ...]]:
    """(dependency, dependent) -> the tags the dependent's Dockerfile reads the dependency by."""
    refs: dict[tuple[str, str], tuple[str, ...]] = {}
    for edge in graph.edges:
        if edge.ref is not None:
            key = (edge.dependency, edge.dependent)
            refs[key] = (*refs.get(key, ()), *tag_refs((edge.ref,)))
    return refs


@dataclass
class Mover:
    """Moves images between the pool's engines for the image worker, and says so in events.

    `results` is the run's own (shared, updated as images finish).
    """

    pool: Pool
    graph: Graph
    resolver: InputResolver
    results: Mapping[str, ImageResult]
    emit: Emit
    edge_refs: Mapping[tuple[str, str], tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        self.edge_refs = edge_refs(self.graph)

    def ensure_bases(
        self, name: str, refs: tuple[str, ...], member: Member, handle: CancelHandle
    ) -> None:
        """Each external base on `member`: pulled when no engine has it, else moved there."""
        for ref in refs:
            base_id = self.resolver.external_base_id(ref)
            if base_id == MISSING:
                try:
                    pulled = member.engine.pull(ref, handle, auth_for_ref(ref))
                except ImgbuildError as error:
                    raise ImgbuildError(
                        f"base image {ref} is not in the engine and could not be pulled "
                        f"({error.message})",
                        hint="build or load it first, or fix the FROM line",
                    ) from error
                self.resolver.forget_base(ref)
                self.pool.record(member.name, pulled, refs=tag_refs((ref,)))
            elif self.pool.is_pool:
                self.move(name, ref, base_id, member, tag_refs((ref,)), handle)

    def move_dependencies(
        self, name: str, dependencies: Iterable[str], member: Member, handle: CancelHandle
    ) -> None:
        """Each dependency's image on `member`, tagged as `name`'s Dockerfile reads it."""
        for dependency in dependencies:
            image_id = self.results[dependency].image_id
            if image_id is not None:
                refs = self.edge_refs.get((dependency, name), ())
                self.move(name, dependency, image_id, member, refs, handle)

    def move(
        self,
        name: str,
        what: str,
        image_id: str,
        member: Member,
        refs: tuple[str, ...],
        handle: CancelHandle,
    ) -> None:
        """`image_id` (`what`: a dependency or a base) to `member`, for the build of `name`."""
        started = time.monotonic()
        move = self.pool.move(image_id, member.name, refs, handle)
        if move is not None:
            seconds = round(time.monotonic() - started, 3)
            self.emit(ImageMoved(name, what, move.source, move.target, move.via, seconds))


def orphans(pool: Pool, results: Mapping[str, ImageResult], needed: Iterable[str]) -> list[str]:
    """The images of `needed` done earlier whose only copies were on engines now down: they
    must be built again before what needs them."""
    lost = []
    for name in sorted(set(needed)):
        done = results.get(name)
        if done is None or not done.status.ok or done.image_id is None:
            continue
        if not pool.holders(done.image_id):
            lost.append(name)
    return lost
