"""The engine's build, pull, load and push streams, read to the end.

docker-py does not raise when a build, pull, load or push fails: the engine reports it inside
the stream as an event with `errorDetail` (and `error`). `event_error` is the one place that
looks for it; each reader below reads every event, so callers never see a half-success.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from builder.errors import EngineError
from builder.records import BuildOutput
from builder.uploads import OnPushProgress, PushProgress

_STEP_RE = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_LOADED = "Loaded image ID: "
_KEPT_LINES = 20  # of the current step's log, for the summary of a failure
# The statuses of a push event about one layer (its `id`); the other events have no layer.
_LAYER_STATUSES = (
    "Preparing",
    "Waiting",
    "Pushing",
    "Pushed",
    "Layer already exists",
    "Mounted from",
    "Retrying",
)
_LAYER_DONE = ("Pushed", "Layer already exists", "Mounted from")

Event = Mapping[str, Any]


def event_error(event: Event) -> str | None:
    """The failure an event reports, or None."""
    if "errorDetail" not in event and "error" not in event:
        return None
    detail = event.get("errorDetail") or {}
    return str(detail.get("message") or event.get("error") or "the engine gave no reason")


@dataclass
class BuildStream:
    """A classic build's events: outputs as they come, then the image ID or the failure."""

    on_output: Callable[[BuildOutput], None]
    image_id: str | None = None
    error: str | None = None
    step: str | None = None  # the step running now ("Step 3/7 : RUN make")
    log: list[str] = field(default_factory=list)  # its last lines

    def read(self, event: Event) -> None:
        error = event_error(event)
        if error is not None:
            self.error = error
            return
        aux = event.get("aux")
        if isinstance(aux, dict) and "ID" in aux:
            self.image_id = str(aux["ID"])
        text = event.get("stream") or event.get("status")
        if not isinstance(text, str):
            return
        for line in text.splitlines():
            line = line.rstrip()
            if not line:
                continue
            match = _STEP_RE.match(line)
            if match:
                self.step = line
                self.log.clear()
                self.on_output(BuildOutput(line, int(match.group(1)), int(match.group(2))))
                continue
            self.log.append(line)
            del self.log[:-_KEPT_LINES]
            self.on_output(BuildOutput(line))

    def hint(self) -> str | None:
        return f"at {self.step}" if self.step else None


def read_pull(events: Iterable[Event], ref: str) -> None:
    """Read a pull to the end; its first failure raises."""
    for event in events:
        error = event_error(event)
        if error is not None:
            raise EngineError(f"pulling {ref} failed: {error}")


def read_load(events: Iterable[Event]) -> str:
    """Read a load to the end; return the loaded image's ID."""
    error = image_id = None
    for event in events:
        error = event_error(event) or error
        text = str(event.get("stream") or "")
        if _LOADED in text:
            image_id = text.split(_LOADED, 1)[1].strip()
    if error is not None:
        raise EngineError(f"loading an image failed: {error}")
    if image_id is None:
        raise EngineError("loading an image: the engine reported no image ID")
    return image_id


@dataclass(frozen=True)
class PushOutcome:
    digest: str | None  # the registry's manifest digest
    error: str | None


@dataclass
class PushLayers:
    """A push's layers as its events tell them, summed into a `PushProgress` per layer event."""

    ref: str
    on_progress: OnPushProgress
    sizes: dict[str, int] = field(default_factory=dict)  # layer -> bytes, once Pushing says
    sent: dict[str, int] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)

    def read(self, event: Event) -> None:
        layer, status = event.get("id"), event.get("status")
        if not isinstance(layer, str) or not isinstance(status, str):
            return
        if not status.startswith(_LAYER_STATUSES):
            return
        self.sizes.setdefault(layer, 0)
        detail = event.get("progressDetail") or {}
        total, current = detail.get("total"), detail.get("current")
        if status == "Pushing" and isinstance(total, int) and isinstance(current, int):
            self.sizes[layer] = total
            # The engine counts the layer's tar stream against its content size: cap it.
            self.sent[layer] = min(current, total)
        elif status.startswith(_LAYER_DONE):
            self.done.add(layer)
            self.sent[layer] = self.sizes[layer]
        self.on_progress(
            PushProgress(
                self.ref,
                len(self.done),
                len(self.sizes),
                sum(self.sent.values()),
                sum(self.sizes.values()),
            )
        )


def read_push(events: Iterable[Event], layers: PushLayers | None = None) -> PushOutcome:
    """Read a push to the end: the digest it reported and its failure, if any; `layers`, when
    given, reads every event too, for the push's progress."""
    error = digest = None
    for event in events:
        if layers is not None:
            layers.read(event)
        error = event_error(event) or error
        aux = event.get("aux")
        if isinstance(aux, dict) and isinstance(aux.get("Digest"), str):
            digest = aux["Digest"]
    return PushOutcome(digest, error)
