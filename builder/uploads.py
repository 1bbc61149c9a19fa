"""A publish's uploads as typed events, for the live view, plain lines and JSON of a publish.

The engine reports a push layer by layer (Preparing, Waiting, Pushing with bytes sent, Pushed,
Layer already exists, Mounted from ...); `builder.engine.streams.PushLayers` sums each event into
a `PushProgress` of the whole ref. `run_publish` first announces every ref of its plan with
`PublishStarted`, so a view can say how many refs are done out of how many.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PublishStarted:
    refs: tuple[str, ...]  # every ref of the plan, pushed, copied or skipped


@dataclass(frozen=True)
class PushProgress:
    """Where one ref's push stands; bytes count only the layers the engine uploads."""

    ref: str
    layers_done: int  # pushed, already in the registry, or mounted from another repository
    layers: int
    bytes_done: int
    bytes_total: int  # of the layers being uploaded, as far as the engine has said


PushEvent = PublishStarted | PushProgress
OnPushProgress = Callable[[PushProgress], None]
OnPushEvent = Callable[[PushEvent], None]
