"""Renderers of build events: a live terminal view, plain prefixed lines, or JSON lines.

Each renderer is a thread-safe callable taking an event. rich is imported only by the live view,
so plain and JSON runs (CI, pipes, benchmarks) do not pay for it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import IO, TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from builder.uploads import PushEvent


def short_id(image_id: str | None) -> str:
    return image_id.removeprefix("sha256:")[:12] if image_id else "-"


def describe(result: ImageResult) -> str:
    if result.status is Status.BUILT:
        return f"built in {result.seconds:.1f}s ({short_id(result.image_id)})"
    if result.status is Status.SKIPPED:
        return f"skipped: {result.reason} ({short_id(result.image_id)})"
    if result.status is Status.FAILED:
        where = f" at {result.failed_step}" if result.failed_step else ""
        return f"FAILED{where}: {result.error}"
    return f"not started: {result.reason}"


class PlainRenderer:
    """`[api] Step 3/7 : RUN ...` lines, for CI logs and pipes."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        line = self._line(event)
        if line is None:
            return
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()

    @staticmethod
    def _line(event: Event) -> str | None:
        if isinstance(event, RunStarted):
            count = len(event.images)
            plural = "s" if count != 1 else ""
            return f"imgbuild: {count} image{plural}, {event.jobs} at a time, on {event.engine}"
        if isinstance(event, ImageStep):
            return f"[{event.name}] {event.text}"
        if isinstance(event, ImageLog):
            return f"[{event.name}] {event.text}"
        if isinstance(event, ImageFinished):
            return f"[{event.result.name}] {describe(event.result)}"
        if isinstance(event, ImageMoved):
            return (
                f"[{event.name}] moved {event.image} from {event.source} to {event.target} "
                f"({event.via}, {event.seconds:.1f}s)"
            )
        if isinstance(event, EngineDown):
            retried = f"; retrying {', '.join(event.retried)}" if event.retried else ""
            return f"imgbuild: engine {event.engine} is down ({event.reason}){retried}"
        return None


class JsonRenderer:
    """One JSON object per event and line (a build's or a publish's uploads), for other tools."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def __call__(self, event: Event | PushEvent) -> None:
        payload = {"event": _event_name(event), **asdict(event), "time": round(time.time(), 3)}
        with self._lock:
            self.stream.write(json.dumps(payload, default=_json_default) + "\n")
            self.stream.flush()


def _event_name(event: Event | PushEvent) -> str:
    name = type(event).__name__
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _json_default(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot serialise {type(value).__name__}")


@dataclass
class _Row:
    state: str = "waiting"
    detail: str = ""
    started: float | None = None
    finished: float | None = None


@dataclass
class LiveRenderer:
    """A rich live view: a bar of images done out of the total, then every image's state,
    its elapsed time (ticking while it runs) and its current step."""

    rows: dict[str, _Row] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _live: Any = None

    def __call__(self, event: Event) -> None:
        with self._lock:
            self._apply(event)
            live = self._live
            if isinstance(event, RunFinished):
                self._live = None
        # Started and stopped outside the lock: rich's refresh thread takes it to draw, and
        # stopping waits for that thread.
        if isinstance(event, RunStarted):
            from rich.live import Live

            live = Live(get_renderable=self._view, refresh_per_second=8, transient=False)
            with self._lock:
                self._live = live
            live.start()
        elif isinstance(event, RunFinished) and live is not None:
            live.stop()
            live.console.line()  # the summary starts on a line of its own

    def _apply(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.rows = {name: _Row() for name in event.images}
        elif isinstance(event, ImageStarted):
            where = f"on {event.engine}" if event.engine else ""
            self.rows[event.name] = _Row("running", where, time.monotonic())
        elif isinstance(event, ImageStep):
            self.rows[event.name].detail = event.text
        elif isinstance(event, ImageLog):
            row = self.rows[event.name]
            if not row.detail.startswith("Step"):
                row.detail = event.text
        elif isinstance(event, ImageFinished):
            row = self.rows.setdefault(event.result.name, _Row())
            row.state = event.result.status.value
            row.detail = describe(event.result)
            row.finished = time.monotonic()

    def _view(self) -> Any:
        from rich.console import Group

        with self._lock:
            return Group(self._bar(), self._table())

    def _bar(self) -> Any:
        from rich.progress_bar import ProgressBar
        from rich.table import Table

        total = len(self.rows)
        done = sum(1 for row in self.rows.values() if row.finished is not None)
        running = sum(1 for row in self.rows.values() if row.state == "running")
        line = Table.grid(padding=(0, 1))
        line.add_row(
            ProgressBar(total=max(total, 1), completed=done, width=40),
            f"{done}/{total} images done, {running} running",
        )
        return line

    def _table(self) -> Any:
        from rich.table import Table

        table = Table(box=None, show_header=True, header_style="bold")
        table.add_column("image")
        table.add_column("state")
        table.add_column("time", justify="right")
        table.add_column("step")
        styles = {"built": "green", "skipped": "cyan", "failed": "red", "running": "yellow"}
        now = time.monotonic()
        for name, row in self.rows.items():
            elapsed = ""
            if row.started is not None:
                elapsed = f"{(row.finished or now) - row.started:.1f}s"
            style = styles.get(row.state, "dim")
            table.add_row(name, f"[{style}]{row.state}[/]", elapsed, _clip(row.detail, 70))
        return table


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def progress_kind(mode: str) -> str:
    """json, live or plain: `auto` is the live view on a terminal outside CI, plain otherwise."""
    if mode == "json":
        return "json"
    if mode == "tty" or (mode == "auto" and sys.stdout.isatty() and not os.environ.get("CI")):
        return "live"
    return "plain"


def choose_renderer(mode: str) -> PlainRenderer | JsonRenderer | LiveRenderer:
    kind = progress_kind(mode)
    if kind == "json":
        return JsonRenderer()
    if kind == "live":
        return LiveRenderer()
    return PlainRenderer()
