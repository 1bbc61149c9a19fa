"""The renderers of build events: every line they write."""

from __future__ import annotations

import io
import json

import pytest

from builder.cli import progress
from builder.cli.progress import JsonRenderer, LiveRenderer, PlainRenderer, choose_renderer
from builder.events import (
    EngineDown,
    Event,
    ImageFinished,
    ImageLog,
    ImageMoved,
    ImageResult,
    ImageStarted,
    ImageStep,
    RunFinished,
    RunStarted,
    Status,
)

ID = "sha256:0123456789abcdef0123"
BUILT = ImageResult("api", Status.BUILT, refs=("t/api:1",), image_id=ID, seconds=1.25)
SKIPPED = ImageResult("base", Status.SKIPPED, image_id=ID, reason="inputs unchanged")
FAILED = ImageResult("web", Status.FAILED, error="exit 1", failed_step="RUN make")
NOT_STARTED = ImageResult("docs", Status.NOT_STARTED, reason="upstream failed: web")

EVENTS: list[Event] = [
    RunStarted(("base", "api", "web", "docs"), 2, "unix:///d.sock"),
    ImageStarted("api", "e1"),
    ImageStep("api", 1, 2, "Step 1/2 : FROM base"),
    ImageLog("api", " ---> Running in 1234"),
    ImageMoved("api", "base", "e2", "e1", "stream", 0.25),
    EngineDown("e2", "connection refused", ("web",)),
    EngineDown("e3", "timed out"),
    ImageFinished(BUILT),
    ImageFinished(SKIPPED),
    ImageFinished(FAILED),
    ImageFinished(NOT_STARTED),
    RunFinished((SKIPPED, BUILT, FAILED, NOT_STARTED), 3.5),
]


def test_plain_lines_for_every_event() -> None:
    stream = io.StringIO()
    render = PlainRenderer(stream)
    for event in EVENTS:
        render(event)
    assert stream.getvalue().splitlines() == [
        "imgbuild: 4 images, 2 at a time, on unix:///d.sock",
        "[api] Step 1/2 : FROM base",
        "[api]  ---> Running in 1234",
        "[api] moved base from e2 to e1 (stream, 0.2s)",
        "imgbuild: engine e2 is down (connection refused); retrying web",
        "imgbuild: engine e3 is down (timed out)",
        "[api] built in 1.2s (0123456789ab)",
        "[base] skipped: inputs unchanged (0123456789ab)",
        "[web] FAILED at RUN make: exit 1",
        "[docs] not started: upstream failed: web",
    ]


def test_plain_says_image_for_one() -> None:
    stream = io.StringIO()
    PlainRenderer(stream)(RunStarted(("a",), 1, "unix:///d.sock"))
    assert stream.getvalue() == "imgbuild: 1 image, 1 at a time, on unix:///d.sock\n"


def test_json_lines_carry_the_event_name_its_fields_and_the_time() -> None:
    stream = io.StringIO()
    render = JsonRenderer(stream)
    for event in EVENTS:
        render(event)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["event"] for line in lines] == [
        "run_started",
        "image_started",
        "image_step",
        "image_log",
        "image_moved",
        "engine_down",
        "engine_down",
        "image_finished",
        "image_finished",
        "image_finished",
        "image_finished",
        "run_finished",
    ]
    assert lines[0]["images"] == ["base", "api", "web", "docs"] and lines[0]["jobs"] == 2
    assert lines[7]["result"]["status"] == "built" and lines[7]["result"]["image_id"] == ID
    assert lines[-1]["results"][2]["error"] == "exit 1" and lines[-1]["interrupted"] is False
    assert all(isinstance(line["time"], float) for line in lines)


def test_the_live_view_keeps_a_row_per_image(capsys: pytest.CaptureFixture[str]) -> None:
    render = LiveRenderer()
    for event in EVENTS[:4]:
        render(event)
    assert render.rows["api"].state == "running"
    assert render.rows["api"].detail == "Step 1/2 : FROM base"  # a log line keeps the step
    assert render.rows["base"].state == "waiting"
    render(ImageStarted("web"))
    render(ImageLog("web", "x" * 100))
    assert render.rows["web"].detail == "x" * 100
    for event in EVENTS[4:]:
        render(event)
    assert {name: row.state for name, row in render.rows.items()} == {
        "base": "skipped",
        "api": "built",
        "web": "failed",
        "docs": "not-started",
    }
    assert render.rows["web"].detail == "FAILED at RUN make: exit 1"
    assert render._live is None  # stopped at the end of the run
    output = capsys.readouterr().out
    assert "api" in output and "built" in output and "built in 1.2s (0123456789ab)" in output
    assert progress._clip("x" * 100, 70) == "x" * 69 + "…"


def test_choose_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(choose_renderer("json"), JsonRenderer)
    assert isinstance(choose_renderer("tty"), LiveRenderer)
    assert isinstance(choose_renderer("plain"), PlainRenderer)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert isinstance(choose_renderer("auto"), LiveRenderer)
    monkeypatch.setenv("CI", "true")
    assert isinstance(choose_renderer("auto"), PlainRenderer)


def test_the_live_view_shows_images_done_and_each_running_step_ticking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    clock = iter([10.0, 11.0, 12.0, 14.5])
    monkeypatch.setattr("builder.cli.progress.time.monotonic", lambda: next(clock))
    render = LiveRenderer()
    for event in (EVENTS[0], ImageStarted("api"), ImageStep("api", 1, 2, "Step 1/2 : FROM base")):
        render._apply(event)
    render._apply(ImageFinished(SKIPPED))  # base: started never, finished at 11.0

    def shown() -> str:
        console = Console(file=io.StringIO(), width=140, color_system=None)
        console.print(render._view())
        return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]

    first = shown()
    assert "1/4 images done, 1 running" in first
    api = next(line for line in first.splitlines() if line.strip().startswith("api"))
    assert "running" in api and "2.0s" in api and "Step 1/2 : FROM base" in api
    assert "4.5s" in next(line for line in shown().splitlines() if line.strip().startswith("api"))
