"""Which engine of the pool an image goes to: one scoring, for the plan and for the run.

`place` prefers an engine holding the image's result (a skip there), then the one holding most
of its dependencies and bases (fewest moves), then the one that built it before (its layer
cache), then the least busy. The plan (`Predictor`, what `build --print` shows) calls it with
every engine free and the load it predicts; the run (`RunPlacer`) with the free slots it has.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from builder.events import ImageResult
from builder.graph import Graph
from builder.inputs import InputResolver
from builder.pool import Member, Move, Pool, eligible_members

if TYPE_CHECKING:
    from builder.plan import PlannedImage


@dataclass(frozen=True)
class Candidate:
    """What placement knows of one engine for one image."""

    name: str
    holds_digest: bool
    dependencies_held: int  # dependencies and bases already there
    affinity: bool  # it built this image before (holds a tag of its repository)
    free: float  # free slots (or, when planning, minus the share of work given to it)


def choose(candidates: Sequence[Candidate]) -> str | None:
    """The best candidate (see the module docstring); ties go to the first in pool order."""
    if not candidates:
        return None
    best = max(
        enumerate(candidates),
        key=lambda item: (
            item[1].holds_digest,
            item[1].dependencies_held,
            item[1].affinity,
            item[1].free,
            -item[0],
        ),
    )
    return best[1].name


@dataclass(frozen=True)
class Wanted:
    """One image as placement sees it."""

    repository: str
    holders: Collection[str]  # engines holding an image built from its inputs
    locations: Sequence[Collection[str]] = ()  # each dependency's or base's engines


def place(
    pool: Pool,
    eligible: Sequence[str],
    wanted: Wanted,
    free: Mapping[str, float],
    has_slot: Container[str],
) -> str | None:
    """The engine of `eligible` that `wanted` goes to now, or None to wait for a slot.

    A holder of the result is waited for rather than passed over: a skip there beats a copy
    elsewhere. `free` scores how free each engine is; `has_slot` says which can start it now.
    """
    holders = [name for name in eligible if name in wanted.holders]
    open_ = [name for name in holders or eligible if name in has_slot]
    return choose(
        [
            Candidate(
                name=name,
                holds_digest=name in wanted.holders,
                dependencies_held=sum(name in where for where in wanted.locations),
                affinity=pool.has_repository(name, wanted.repository),
                free=free[name],
            )
            for name in open_
        ]
    )


@dataclass
class RunPlacer:
    """Placement during the run: where an image whose dependencies are done goes now.

    `results` is the run's own (shared, updated as images finish).
    """

    pool: Pool
    graph: Graph
    resolver: InputResolver
    results: Mapping[str, ImageResult]
    no_cache: bool = False
    _digests: dict[str, str | None] = field(default_factory=dict)

    def place(
        self, planned: PlannedImage, eligible: Sequence[Member], free: Mapping[str, int]
    ) -> Member | None:
        has_slot = {member.name for member in eligible if free[member.name] > 0}
        if len(eligible) == 1 or not has_slot:  # nothing to choose: no digest needed
            return next((member for member in eligible if member.name in has_slot), None)
        digest = self._digest(planned)
        holders = self.pool.with_digest(digest) if digest else {}
        images = [self.results[dep].image_id for dep in planned.dependencies]
        images += self.resolver.known_base_ids(self.graph.nodes[planned.name]).values()
        wanted = Wanted(
            planned.spec.repository,
            holders,
            [self.pool.holders(image) for image in images if image],
        )
        names = [member.name for member in eligible]
        chosen = place(self.pool, names, wanted, free, has_slot)
        return next((member for member in eligible if member.name == chosen), None)

    def forget_digests(self) -> None:
        """A dependency is being built again: the digests placement computed are stale."""
        self._digests.clear()

    def _digest(self, planned: PlannedImage) -> str | None:
        """The image's input digest (its dependencies are done), or None."""
        if self.no_cache:
            return None
        if planned.name not in self._digests:
            ids = {dep: self.results[dep].image_id for dep in planned.dependencies}
            try:
                digest: str | None = self.resolver.digest(self.graph.nodes[planned.name], ids)
            except Exception:
                digest = None  # whatever the problem, the worker meets it too and reports it
            self._digests[planned.name] = digest
        return self._digests[planned.name]


class Predictor:
    """Predicts where each image of the plan goes, as the run would place it with every engine
    free: the load is spread by the builds already given to each engine. The run may differ
    where timing does (a busy engine is not waited for)."""

    def __init__(
        self,
        pool: Pool,
        graph: Graph,
        resolver: InputResolver,
        planned: Mapping[str, PlannedImage],
    ) -> None:
        self.pool = pool
        self.graph = graph
        self.resolver = resolver
        self.planned = planned
        self.load = {member.name: 0 for member in pool.members}
        self.copies: dict[str, list[str]] = {}  # image or base -> engines it will be moved to

    def place(self, name: str, found: Mapping[str, str]) -> tuple[str | None, tuple[Move, ...]]:
        """The engine `name` is expected on and the moves that needs (None in a pool of one);
        `found`: engine -> the image already built from its inputs there, when it is skipped."""
        if not self.pool.is_pool:
            return None, ()
        node = self.graph.nodes[name]
        spec = node.spec
        members = eligible_members(
            self.pool.up(), spec.engine, node.platform, emulation=spec.emulation
        )
        eligible = [member.name for member in members]
        if not eligible:
            return None, ()
        locations = self._locations(name)
        free = {
            member.name: -self.load[member.name] / (member.jobs or 1)
            for member in self.pool.members
        }
        wanted = Wanted(spec.repository, found, list(locations.values()))
        chosen = place(self.pool, eligible, wanted, free, eligible)
        assert chosen is not None
        via = "registry" if self.pool.transfer_registry else "stream"
        moves = [
            Move(image, where[0], chosen, via)
            for image, where in locations.items()
            if where and chosen not in where
        ]
        for move in moves:
            self.copies.setdefault(move.image, []).append(chosen)
        if found and chosen not in found:
            moves.append(Move(name, next(iter(found)), chosen, via))
        else:
            self.load[chosen] += 0 if found else 1
        return chosen, tuple(moves)

    def _locations(self, name: str) -> dict[str, list[str]]:
        """Each dependency's and base's engines: where it is, or is expected to be built."""
        where: dict[str, list[str]] = {}
        for dependency in self.graph.dependencies(name):
            planned = self.planned[dependency]
            held = self.pool.holders(planned.existing_image) if planned.existing_image else []
            expected = [planned.engine] if planned.engine else []
            copies = self.copies.get(dependency, [])
            where[dependency] = list(dict.fromkeys([*expected, *held, *copies]))
        bases = self.resolver.known_base_ids(self.graph.nodes[name])
        for ref, image_id in bases.items():
            where[ref] = [*self.pool.holders(image_id), *self.copies.get(ref, [])]
        return where
