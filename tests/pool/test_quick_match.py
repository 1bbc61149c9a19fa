"""A single engine confirms skips by inspecting tags, and lists itself once a graph is large."""

from __future__ import annotations

from builder.engine.inventory import Inventory
from builder.engine.operations import TaggedImage
from builder.pool import QUICK_INSPECTS
from tests.fakes import FakeEngine, fake_pool

DIGEST = "sha256:" + "d" * 64


class CountingEngine(FakeEngine):
    def __init__(self, images: int) -> None:
        super().__init__(images={f"app/{n}:dev": f"sha256:{n:064x}" for n in range(images)})
        self.digests = {image: DIGEST for image in self.ids}
        self.inspects = 0
        self.listings = 0

    def tagged_image(self, ref: str) -> TaggedImage | None:
        self.inspects += 1
        return super().tagged_image(ref)

    def inventory(self) -> Inventory:
        self.listings += 1
        return super().inventory()


def test_a_small_graph_is_confirmed_tag_by_tag_without_listing_the_engine() -> None:
    engine = CountingEngine(QUICK_INSPECTS)
    pool = fake_pool(engine)
    for n in range(QUICK_INSPECTS):
        assert pool.quick_match(DIGEST, [f"app/{n}:dev"]) == f"sha256:{n:064x}"
    assert (engine.inspects, engine.listings) == (QUICK_INSPECTS, 0)


def test_past_the_limit_the_engine_is_listed_once_and_no_longer_inspected() -> None:
    engine = CountingEngine(QUICK_INSPECTS * 3)
    pool = fake_pool(engine)
    for n in range(QUICK_INSPECTS * 3):
        found = pool.quick_match(DIGEST, [f"app/{n}:dev"])
        assert found == (f"sha256:{n:064x}" if n < QUICK_INSPECTS else None)
    assert (engine.inspects, engine.listings) == (QUICK_INSPECTS, 1)
    # What quick_match no longer answers, the holdings do, from that one listing.
    assert pool.with_digest(DIGEST)
    assert engine.listings == 1
