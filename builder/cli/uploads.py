"""The uploads of a publish on the terminal: a live view, plain lines or JSON lines.

Each view takes the publish's push events (`builder.uploads`) and the result of every ref, says
the publish's own lines (a live view draws them above itself), and is closed when the publish
returns. The live view shows a bar of refs done out of the total and,
per ref being pushed, its bytes and layers; plain lines (CI logs) say where a push stands at most
once per ref every `every` seconds, the ref's result line being its last; JSON lines carry the
events as they are.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Protocol

from builder.cli.progress import JsonRenderer, progress_kind
from builder.text import byte_size
from builder.uploads import PublishStarted, PushEvent, PushProgress

if TYPE_CHECKING:
    from builder.publish import RefResult

_PLAIN_EVERY = 10.0  # seconds between two progress lines of one ref in a CI log


class UploadsView(Protocol):
    def __call__(self, event: PushEvent | RefResult) -> None: ...

    def say(self, line: str) -> None: ...

    def close(self) -> None: ...


def progress_line(progress: PushProgress) -> str:
    return (
        f"{byte_size(progress.bytes_done)} of {byte_size(progress.bytes_total)}, "
        f"{progress.layers_done}/{progress.layers} layers"
    )


class PlainUploads:
    """`pushing REF: 12.0 MB of 40.0 MB, 2/5 layers`, at most once per ref every `every` s."""

    def __init__(
        self,
        stream: IO[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        every: float = _PLAIN_EVERY,
    ) -> None:
        self.stream = stream or sys.stdout
        self.clock = clock
        self.every = every
        self._last: dict[str, float] = {}  # ref -> when its push began or its last line

    def __call__(self, event: PushEvent | RefResult) -> None:
        if not isinstance(event, PushProgress):
            return
        now = self.clock()
        last = self._last.setdefault(event.ref, now)
        if now - last >= self.every:
            self._last[event.ref] = now
            self.say(f"pushing {event.ref}: {progress_line(event)}")

    def say(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        pass


class JsonUploads:
    """`{"event": "push_progress", "ref": ..., "bytes_done": ...}` per push event."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self.render = JsonRenderer(self.stream)

    def __call__(self, event: PushEvent | RefResult) -> None:
        if isinstance(event, PublishStarted | PushProgress):
            self.render(event)

    def say(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        pass


@dataclass
class LiveUploads:
    """A rich live view: a bar of refs done out of the total, then each ref being pushed."""

    refs: int = 0
    done: int = 0
    pushing: dict[str, PushProgress] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _live: Any = None

    def __call__(self, event: PushEvent | RefResult) -> None:
        with self._lock:
            if isinstance(event, PublishStarted):
                self.refs = len(event.refs)
            elif isinstance(event, PushProgress):
                self.pushing[event.ref] = event
            else:
                self.done += 1
                self.pushing.pop(event.target.ref, None)
            live = self._live
        if live is not None and not isinstance(event, PushProgress):
            live.refresh()  # now, not at the next tick: the ref's line is said right after
        if isinstance(event, PublishStarted):
            from rich.live import Live

            live = Live(get_renderable=self._view, refresh_per_second=8, transient=True)
            with self._lock:
                self._live = live
            live.start()

    def say(self, line: str) -> None:
        """Drawn above the view: a plain write would land inside it."""
        from rich.text import Text

        with self._lock:
            live = self._live
        if live is None:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        else:
            live.console.print(Text(line), soft_wrap=True)

    def close(self) -> None:
        with self._lock:
            live, self._live = self._live, None
        if live is not None:  # stopped outside the lock: rich's refresh thread takes it
            live.stop()

    def lines(self) -> list[str]:
        """The view as text: the count of refs done, then one line per ref being pushed."""
        with self._lock:
            rows = [f"{self.done}/{self.refs} refs done, {len(self.pushing)} pushing"]
            rows += [f"{ref}  {progress_line(p)}" for ref, p in self.pushing.items()]
        return rows

    def _view(self) -> Any:
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        head, *rows = self.lines()
        bar = Table.grid(padding=(0, 1))
        bar.add_row(ProgressBar(total=max(self.refs, 1), completed=self.done, width=40), head)
        return Group(bar, *(Text(row) for row in rows))


def choose_uploads(mode: str) -> UploadsView:
    """The view of `--progress MODE`, as for the build's events."""
    kind = progress_kind(mode)
    if kind == "json":
        return JsonUploads()
    if kind == "live":
        return LiveUploads()
    return PlainUploads()
