"""The end of a run as a document: the metadata file (`--metadata-file`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from builder.events import ImageResult
from builder.files import write_atomically


def metadata(
    results: Sequence[ImageResult], engines_down: Mapping[str, str] | None = None
) -> dict[str, object]:
    images: dict[str, object] = {}
    for result in results:
        entry: dict[str, object] = {
            "status": result.status.value,
            "image_id": result.image_id,
            "tags": list(result.refs),
            "input_digest": result.input_digest,
            "seconds": result.seconds,
            "builder": result.builder,
            "engine": result.engine,
        }
        if result.error:
            entry["error"] = result.error
        if result.failed_step:
            entry["step"] = result.failed_step
        images[result.name] = entry
    document: dict[str, object] = {"images": images}
    if engines_down:
        document["engines_down"] = dict(engines_down)
    return document


def write_json_atomically(path: Path, document: object) -> None:
    """Write JSON so a reader never sees half a file, and a failure leaves the old one."""
    write_atomically(path, json.dumps(document, indent=2, sort_keys=True) + "\n")
