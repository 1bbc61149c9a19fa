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

_STEP_RE = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_LOADED = "Loaded image ID: "
_KEPT_LINES = 20  # of the current step's log, for the summary of a failure

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


def read_push(events: Iterable[Event]) -> PushOutcome:
    """Read a push to the end: the digest it reported and its failure, if any."""
    error = digest = None
    for event in events:
        error = event_error(event) or error
        aux = event.get("aux")
        if isinstance(aux, dict) and isinstance(aux.get("Digest"), str):
            digest = aux["Digest"]
    return PushOutcome(digest, error)
