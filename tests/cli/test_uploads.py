"""The views of a publish's uploads: every line they write."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from builder.cli.uploads import JsonUploads, LiveUploads, PlainUploads, choose_uploads
from builder.publish import RefResult, RefStatus
from builder.publish_plan import Target
from builder.tags import Tag, TagKind
from builder.uploads import PublishStarted, PushProgress

API = Target("api", "127.0.0.1:5000", "team/api", Tag("1.0.0", TagKind.VERSION, "--version"))
WEB = Target("web", "127.0.0.1:5000", "team/web", Tag("1.0.0", TagKind.VERSION, "--version"))
LATEST = Target("api", "127.0.0.1:5000", "team/api", Tag("latest", TagKind.LATEST, "default"))
STARTED = PublishStarted((API.ref, WEB.ref, LATEST.ref))


def progress(target: Target, done: int, total: int = 40_000_000) -> PushProgress:
    return PushProgress(target.ref, 1 if done == total else 0, 2, done, total)


def test_plain_says_where_a_push_stands_at_most_once_per_ref_every_ten_seconds() -> None:
    times: Iterator[float] = iter([0.0, 3.0, 9.9, 10.0, 12.0, 15.0, 21.0, 21.5])
    stream = io.StringIO()
    view = PlainUploads(stream, clock=lambda: next(times))
    view(STARTED)
    for target, done in [
        (API, 0),  # 0.0: its push begins
        (API, 1_000_000),  # 3.0
        (API, 2_000_000),  # 9.9
        (API, 12_000_000),  # 10.0: a line
        (WEB, 0),  # 12.0: web begins, its ten seconds of its own
        (API, 20_000_000),  # 15.0
        (API, 33_300_000),  # 21.0: a line
        (WEB, 500),  # 21.5
    ]:
        view(progress(target, done))
    view(RefResult(API, RefStatus.PUSHED, "sha256:d"))  # its final line is the publish's own
    view.close()
    assert stream.getvalue().splitlines() == [
        "pushing 127.0.0.1:5000/team/api:1.0.0: 12.0 MB of 40.0 MB, 0/2 layers",
        "pushing 127.0.0.1:5000/team/api:1.0.0: 33.3 MB of 40.0 MB, 0/2 layers",
    ]


def test_json_carries_the_refs_and_every_progress_event() -> None:
    stream = io.StringIO()
    view = JsonUploads(stream)
    view(STARTED)
    view(progress(API, 40_000_000))
    view(RefResult(API, RefStatus.PUSHED, "sha256:d"))
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line.pop("time") > 0 for line in lines] == [True, True]
    assert lines == [
        {"event": "publish_started", "refs": list(STARTED.refs)},
        {
            "event": "push_progress",
            "ref": API.ref,
            "layers_done": 1,
            "layers": 2,
            "bytes_done": 40_000_000,
            "bytes_total": 40_000_000,
        },
    ]


def test_the_live_view_shows_refs_done_and_each_push_with_bytes_and_layers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rich.console import Console

    view = LiveUploads()
    view(STARTED)
    view(progress(API, 12_000_000))
    view(progress(WEB, 500, 1_500))
    assert view.lines() == [
        "0/3 refs done, 2 pushing",
        "127.0.0.1:5000/team/api:1.0.0  12.0 MB of 40.0 MB, 0/2 layers",
        "127.0.0.1:5000/team/web:1.0.0  500 B of 1.5 KB, 0/2 layers",
    ]
    view(RefResult(API, RefStatus.PUSHED, "sha256:d"))
    view(RefResult(LATEST, RefStatus.SKIPPED, "sha256:d"))
    assert view.lines() == [
        "2/3 refs done, 1 pushing",
        "127.0.0.1:5000/team/web:1.0.0  500 B of 1.5 KB, 0/2 layers",
    ]
    console = Console(file=io.StringIO(), width=140, color_system=None)
    console.print(view._view())
    drawn = console.file.getvalue()  # type: ignore[attr-defined]
    assert "2/3 refs done, 1 pushing" in drawn.splitlines()[0]
    assert "500 B of 1.5 KB" in drawn
    view.say("pushed     127.0.0.1:5000/team/api:1.0.0  sha256:d  (uploaded)")  # above the view
    view.close()
    assert view._live is None
    view.close()  # closing twice, or a view never started, is fine
    view.say("published: 1 pushed")
    output = capsys.readouterr().out
    assert "pushed     127.0.0.1:5000/team/api:1.0.0  sha256:d  (uploaded)\n" in output
    assert output.endswith("published: 1 pushed\n")


def test_choose_uploads(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(choose_uploads("json"), JsonUploads)
    assert isinstance(choose_uploads("tty"), LiveUploads)
    assert isinstance(choose_uploads("plain"), PlainUploads)
    monkeypatch.setenv("CI", "true")
    assert isinstance(choose_uploads("auto"), PlainUploads)
