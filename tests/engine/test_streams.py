"""The engine's build, pull, load and push streams: every event read, failures found inside."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from builder.engine import streams
from builder.engine.streams import (
    BuildStream,
    PushLayers,
    event_error,
    read_load,
    read_pull,
    read_push,
)
from builder.errors import EngineError
from builder.records import BuildOutput
from builder.uploads import PushProgress

RECORDED = Path(__file__).parent.parent / "data" / "push"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"stream": "Step 1/2 : FROM x\n"}, None),
        ({"errorDetail": {"message": "denied: no"}, "error": "denied"}, "denied: no"),
        ({"error": "only the short form"}, "only the short form"),
        ({"errorDetail": {}, "error": ""}, "the engine gave no reason"),
        ({"errorDetail": None}, "the engine gave no reason"),
    ],
)
def test_one_check_finds_a_failure_in_any_event(event: dict[str, object], expected: str) -> None:
    assert event_error(event) == expected


def build_stream(*events: Mapping[str, object]) -> tuple[BuildStream, list[BuildOutput]]:
    outputs: list[BuildOutput] = []
    stream = BuildStream(outputs.append)
    for event in events:
        stream.read(event)
    return stream, outputs


def test_a_build_stream_numbers_steps_and_keeps_the_image_id() -> None:
    stream, outputs = build_stream(
        {"stream": "Step 1/2 : FROM local/busybox:1\n"},
        {"stream": " ---> 0123\n\n"},
        {"stream": "Step 2/2 : RUN make\n"},
        {"stream": "compiling\nlinking\n"},
        {"aux": {"ID": "sha256:feed"}},
    )
    assert [(o.text, o.step, o.steps) for o in outputs] == [
        ("Step 1/2 : FROM local/busybox:1", 1, 2),
        (" ---> 0123", None, None),
        ("Step 2/2 : RUN make", 2, 2),
        ("compiling", None, None),
        ("linking", None, None),
    ]
    assert stream.image_id == "sha256:feed" and stream.error is None
    assert stream.step == "Step 2/2 : RUN make" and stream.log == ["compiling", "linking"]


def test_a_failing_step_keeps_its_step_its_last_lines_and_the_error() -> None:
    stream, _ = build_stream(
        {"stream": "Step 1/1 : RUN spam\n"},
        *({"stream": f"out-{n}\n"} for n in range(30)),
        {"errorDetail": {"code": 3, "message": "returned a non-zero code: 3"}, "error": "x"},
    )
    assert stream.error == "returned a non-zero code: 3"
    assert stream.log == [f"out-{n}" for n in range(10, 30)]
    assert stream.hint() == "at Step 1/1 : RUN spam"


def test_a_failed_build_has_no_hint_before_any_step() -> None:
    stream, _ = build_stream({"error": "no such base"})
    assert stream.error == "no such base" and stream.hint() is None


def test_a_pull_failure_raises_with_the_reference() -> None:
    read_pull([{"status": "Pulling"}, {"status": "Digest: sha256:1"}], "a/b:1")
    with pytest.raises(EngineError, match=r"pulling a/b:1 failed: manifest unknown"):
        read_pull(
            [{"status": "Pulling"}, {"errorDetail": {"message": "manifest unknown"}}], "a/b:1"
        )


def test_a_load_returns_the_image_id_it_reported() -> None:
    events = [{"stream": "Loaded image ID: sha256:abc\n"}]
    assert read_load(events) == "sha256:abc"


def test_a_load_that_failed_or_reported_no_id_raises() -> None:
    with pytest.raises(EngineError, match="loading an image failed: unexpected EOF"):
        read_load([{"stream": "Loaded image ID: sha256:abc\n"}, {"error": "unexpected EOF"}])
    with pytest.raises(EngineError, match="reported no image ID"):
        read_load([{"stream": "something else\n"}])


def test_a_push_is_read_to_the_end_for_its_digest_and_failure() -> None:
    ok = read_push([{"status": "Pushed"}, {"aux": {"Tag": "1", "Digest": "sha256:d"}}])
    assert ok == streams.PushOutcome(digest="sha256:d", error=None)
    failed = read_push([{"status": "Preparing"}, {"errorDetail": {"message": "denied"}}])
    assert failed == streams.PushOutcome(digest=None, error="denied")


def test_a_recorded_push_becomes_progress_of_the_whole_ref_ending_at_its_total() -> None:
    events = json.loads((RECORDED / "three-new-layers.json").read_text())
    seen: list[PushProgress] = []

    outcome = read_push(events, PushLayers("r/demo:one", seen.append))

    assert outcome.digest and outcome.digest.startswith("sha256:4230")
    assert len(seen) == 13  # one per layer event; the header and the digest lines are not
    assert seen[0] == PushProgress("r/demo:one", 0, 1, 0, 0)  # the first layer is preparing
    assert seen[2] == PushProgress("r/demo:one", 0, 3, 0, 0)
    # The 3-byte layer's tar (2 kB) is capped at its size; the others count as they go.
    assert seen[3] == seen[4] == PushProgress("r/demo:one", 0, 3, 3, 3)
    assert seen[5] == PushProgress("r/demo:one", 0, 3, 3 + 33280, 3_000_003)
    done = [progress.bytes_done for progress in seen]
    assert done == sorted(done), "bytes sent never go back"
    assert [progress.layers_done for progress in seen][-3:] == [2, 2, 3]
    assert seen[-1] == PushProgress("r/demo:one", 3, 3, 3_700_003, 3_700_003)


def test_layers_already_there_or_mounted_are_done_with_nothing_to_upload() -> None:
    seen: list[PushProgress] = []
    layers = PushLayers("r/a:1", seen.append)
    for event in (
        {"status": "Preparing", "progressDetail": {}, "id": "l1"},
        {"status": "Preparing", "progressDetail": {}, "id": "l2"},
        {"status": "Waiting", "progressDetail": {}, "id": "l2"},
        {"status": "Layer already exists", "progressDetail": {}, "id": "l1"},
        {"status": "Mounted from team/other", "progressDetail": {}, "id": "l2"},
        {"status": "1: digest: sha256:d size: 945"},
    ):
        layers.read(event)
    assert seen[-1] == PushProgress("r/a:1", 2, 2, 0, 0)
    assert len(seen) == 5
