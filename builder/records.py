"""Records a build is described and reported by, shared by the scheduler and every builder.

Neutral ground: the classic builder (the SDK adapter in `builder.engine`), the BuildKit builder
(`builder.buildkit`) and the scheduler all speak these, and none of them imports another for
them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from builder.config import SecretSource
from builder.digest import ContextSnapshot
from builder.errors import BuildError

# The label holding an image's input digest: what "skip on unchanged inputs" looks for.
INPUT_DIGEST_LABEL = "io.imgbuild.input-digest"


@dataclass(frozen=True)
class RegistryLogin:
    """Credentials of one registry for the docker client a BuildKit build runs: it reads the
    `cache_from` refs itself, with its own config, which imgbuild's lookup may know better."""

    registry: str  # host[:port], as the client keys it
    username: str  # "<token>" for an identity token, as Docker's config.json spells it
    secret: str = field(repr=False)


@dataclass(frozen=True)
class BuildRequest:
    name: str
    dockerfile_text: str  # as sent: labels already written into it (see builder.labels)
    context: ContextSnapshot
    args: Mapping[str, str]
    target: str | None
    network: str
    no_cache: bool = False
    secrets: tuple[SecretSource, ...] = ()  # only the BuildKit builder can pass them
    platform: str | None = None  # `linux/arm64`; None: the engine's own
    cache_from: tuple[str, ...] = ()  # registry refs whose layers the build may reuse
    inline_cache: bool = False  # BuildKit: write cache metadata into the image (for cache_from)
    logins: tuple[RegistryLogin, ...] = field(default=(), repr=False)  # for cache_from's registries


@dataclass(frozen=True)
class BuildOutput:
    """One line of build output; `step` is set on a new step ("Step 3/7 : RUN ...")."""

    text: str
    step: int | None = None
    steps: int | None = None


@dataclass
class CancelHandle:
    """Lets another thread abort a running engine request."""

    cancelled: threading.Event = field(default_factory=threading.Event)
    _stop: Callable[[], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def attach(self, response: Any) -> None:
        """A streaming engine response: cancelling shuts its socket."""
        self._on_cancel(partial(_shutdown, response))

    def attach_process(self, process: Any) -> None:
        """A client process (BuildKit): cancelling interrupts it as Ctrl-C would."""
        self._on_cancel(partial(_interrupt, process))

    def _on_cancel(self, stop: Callable[[], None]) -> None:
        with self._lock:
            self._stop = stop
            if self.cancelled.is_set():
                stop()

    def cancel(self) -> None:
        with self._lock:
            self.cancelled.set()
            if self._stop is not None:
                self._stop()


_KILL_AFTER = 10.0  # seconds a client may take to leave after SIGINT


def _interrupt(process: Any) -> None:
    # The client runs in its own session; SIGINT to its group cancels the solve in the engine.
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGINT)
    # A client whose engine hangs never leaves on SIGINT (it waits for the engine to cancel).
    timer = threading.Timer(_KILL_AFTER, _kill_if_running, (process,))
    timer.daemon = True
    timer.start()


def _kill_if_running(process: Any) -> None:
    if process.poll() is None:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)


def _shutdown(response: Any) -> None:
    """Close the socket under a streaming response; the engine then aborts the request."""
    for path in (("raw", "_fp", "fp", "raw", "_sock"), ("raw", "_connection", "sock")):
        target: Any = response
        for attribute in path:
            target = getattr(target, attribute, None)
            if target is None:
                break
        if isinstance(target, socket.socket):
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_RDWR)
            return


class BuildCancelled(BuildError):
    """The build was aborted on request (Ctrl-C)."""


class StepFailed(BuildError):
    """A Dockerfile step failed; carries the step and the last lines of its log."""

    def __init__(self, message: str, *, step: str | None, log: tuple[str, ...]) -> None:
        super().__init__(message)
        self.step = step
        self.log = log
