"""The end of a run as a document: the metadata file (`--metadata-file`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from builder.by_image import image_statuses
from builder.errors import UsageError
from builder.events import ImageResult
from builder.files import write_atomically
from builder.platforms import image_of


def metadata(
    results: Sequence[ImageResult], engines_down: Mapping[str, str] | None = None
) -> dict[str, object]:
    images: dict[str, dict[str, object]] = {}
    variants: dict[str, dict[str, object]] = {}
    for result in results:
        if result.platform is not None:
            variants.setdefault(image_of(result.name), {})[result.platform] = {
                "status": result.status.value,
                "image_id": result.image_id,
                "input_digest": result.input_digest,
                "tags": list(result.refs),
            }
        if image_of(result.name) != result.name:
            continue  # a variant other than the primary one: under its image's "platforms"
        entry: dict[str, object] = {
            "status": result.status.value,
            "image_id": result.image_id,
            "tags": list(result.refs),
            "input_digest": result.input_digest,
            "seconds": result.seconds,
            "builder": result.builder,
            "engine": result.engine,
        }
        if result.cache:
            entry["cache"] = result.cache
        if result.error:
            entry["error"] = result.error
        if result.failed_step:
            entry["step"] = result.failed_step
        images[result.name] = entry
    overall = image_statuses(results)
    for name, found in variants.items():
        # The image's status is over its platforms (failed when one failed); each platform's
        # own is under "platforms", the IDs and tags at the top are the primary platform's.
        images[name]["platforms"] = found
        images[name]["status"] = overall[name]
    document: dict[str, object] = {"images": images}
    if engines_down:
        document["engines_down"] = dict(engines_down)
    return document


def write_json_atomically(path: Path, document: object) -> None:
    """Write JSON so a reader never sees half a file, and a failure leaves the old one."""
    write_atomically(path, json.dumps(document, indent=2, sort_keys=True) + "\n")


def read_statuses(path: Path) -> dict[str, str]:
    """Each image's status in a build or publish metadata file: image -> status."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"cannot read the metadata file: {error}", path=path) from error
    images = document.get("images") if isinstance(document, dict) else None
    if not isinstance(images, dict):
        raise UsageError(
            "not a metadata file: no 'images' table",
            path=path,
            hint="write one with imgbuild build --metadata-file or publish --metadata-file",
        )
    return {
        str(name): str(entry.get("status"))
        for name, entry in images.items()
        if isinstance(entry, dict) and entry.get("status")
    }
