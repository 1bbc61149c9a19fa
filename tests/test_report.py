"""The metadata document of a run (`--metadata-file`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builder.events import ImageResult, Status
from builder.report import metadata, write_json_atomically

ID = "sha256:0123"


def test_metadata_has_an_entry_per_image_and_the_engines_down() -> None:
    results = [
        ImageResult("a", Status.BUILT, ("t/a:1",), ID, "sha256:in", 1.5, builder="classic"),
        ImageResult("b", Status.FAILED, error="exit 1", failed_step="RUN x", engine="e2"),
    ]
    assert metadata(results, {"e3": "gone"}) == {
        "images": {
            "a": {
                "status": "built",
                "image_id": ID,
                "tags": ["t/a:1"],
                "input_digest": "sha256:in",
                "seconds": 1.5,
                "builder": "classic",
                "engine": None,
            },
            "b": {
                "status": "failed",
                "image_id": None,
                "tags": [],
                "input_digest": None,
                "seconds": 0.0,
                "builder": None,
                "engine": "e2",
                "error": "exit 1",
                "step": "RUN x",
            },
        },
        "engines_down": {"e3": "gone"},
    }
    assert "engines_down" not in metadata(results)


def test_the_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "out" / "meta.json"
    write_json_atomically(path, {"b": 1, "a": [2]})
    assert path.read_text() == '{\n  "a": [\n    2\n  ],\n  "b": 1\n}\n'
    with pytest.raises(TypeError):
        write_json_atomically(path, {"a": object()})
    assert json.loads(path.read_text()) == {"a": [2], "b": 1}
    assert [p.name for p in path.parent.iterdir()] == ["meta.json"]


def test_an_image_of_several_platforms_fails_when_one_platform_failed() -> None:
    results = [
        ImageResult("web", Status.BUILT, ("shop/web:dev",), "sha256:a", platform="linux/amd64"),
        ImageResult("web@linux/arm64", Status.FAILED, error="boom", platform="linux/arm64"),
    ]
    images: Any = metadata(results)["images"]
    assert set(images) == {"web"}
    web = images["web"]
    assert web["status"] == "failed"
    assert web["image_id"] == "sha256:a"  # the primary platform's
    assert web["platforms"]["linux/amd64"]["status"] == "built"
    assert web["platforms"]["linux/arm64"]["status"] == "failed"
