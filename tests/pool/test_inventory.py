"""`Engine.inventory`: the one listing per engine that skip checks and placement read."""

from __future__ import annotations

import io

import pytest

from builder.engine.inventory import sortable_time
from builder.engine.operations import Engine
from builder.records import INPUT_DIGEST_LABEL
from tests.pool.engines import EngineSet

pytestmark = pytest.mark.engine


def test_the_image_that_set_a_digest_label_wins_over_descendants_of_the_same_second(
    pool_engines: EngineSet, unique_name: str
) -> None:
    client = pool_engines["e1"].client()
    digest = f"sha256:{unique_name}"
    dockerfile = f'FROM local/busybox:1\nLABEL {INPUT_DIGEST_LABEL}="{digest}"\n'
    origin, _ = client.images.build(
        fileobj=io.BytesIO(dockerfile.encode()), tag=f"{unique_name}/origin:1", rm=True
    )
    # Descendants inherit the label; built at once, several share the origin's second.
    for number in range(6):
        child = f"FROM {unique_name}/origin:1\nLABEL n={number}\n"
        client.images.build(fileobj=io.BytesIO(child.encode()), rm=True)
    labelled = client.images.list(filters={"label": f"{INPUT_DIGEST_LABEL}={digest}"})
    assert len(labelled) == 7
    assert Engine(pool_engines["e1"].url).inventory().by_digest[digest] == origin.id


def test_creation_times_sort_whatever_their_fraction_digits() -> None:
    times = [
        "2026-11-29T10:38:28.1Z",
        "2026-11-29T10:38:28.09Z",
        "2026-11-29T10:38:28Z",
        "2026-11-29T10:38:28.123456789Z",
    ]
    assert sorted(times, key=sortable_time) == [
        "2026-11-29T10:38:28Z",
        "2026-11-29T10:38:28.09Z",
        "2026-11-29T10:38:28.1Z",
        "2026-11-29T10:38:28.123456789Z",
    ]
