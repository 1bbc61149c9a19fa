"""What an engine holds, from one image listing: the scheduler's view of each engine."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from builder.records import INPUT_DIGEST_LABEL

# What the engine answers to GET `path` (None when absent); `what` names it in errors.
Read = Callable[[str, str], Any]


@dataclass(frozen=True)
class Inventory:
    """What an engine holds, from one image listing: the scheduler's view of a pool engine."""

    by_digest: Mapping[str, str]  # input digest -> the image that set it (the oldest)
    tags: Mapping[str, str]  # "repository:tag" -> image ID
    ids: frozenset[str]
    size: int  # bytes, shared layers counted once per image (as `docker images` shows)


def read_inventory(read: Read) -> Inventory:
    """Every image's ID, tags and input digest, in one listing.

    Labels are inherited, so an image built FROM ours (or a classic build's unused stage image,
    left dangling) carries the same digest label; the one that set it is the oldest. The
    listing gives whole seconds: images created in the same second are inspected for their
    exact creation time.
    """
    images = read("listing images", "/images/json") or []
    labelled: dict[str, list[dict[str, Any]]] = {}
    tags: dict[str, str] = {}
    for image in images:
        digest = (image.get("Labels") or {}).get(INPUT_DIGEST_LABEL)
        if digest:
            labelled.setdefault(digest, []).append(image)
        for ref in image.get("RepoTags") or ():
            if ref != "<none>:<none>":
                tags[ref] = str(image["Id"])
    return Inventory(
        by_digest={digest: _oldest(read, found) for digest, found in labelled.items()},
        tags=tags,
        ids=frozenset(str(image["Id"]) for image in images),
        size=sum(int(image.get("Size") or 0) for image in images),
    )


def _oldest(read: Read, images: list[dict[str, Any]]) -> str:
    first = min(int(image.get("Created") or 0) for image in images)
    tied = sorted(str(image["Id"]) for image in images if int(image.get("Created") or 0) == first)
    if len(tied) == 1:
        return tied[0]

    def created(image_id: str) -> str:
        """The exact creation time, as a sortable string ("" when the image is gone)."""
        inspected = read(f"inspecting {image_id}", f"/images/{image_id}/json")
        return sortable_time(str((inspected or {}).get("Created", "")))

    return min(tied, key=lambda image_id: (created(image_id), image_id))


def sortable_time(created: str) -> str:
    """RFC 3339 with nanoseconds ("...T10:38:28.1234Z") padded so strings sort by time."""
    whole, _, fraction = created.removesuffix("Z").partition(".")
    return f"{whole}.{fraction.ljust(9, '0')}"
