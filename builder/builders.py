"""What a run needs of an engine and of a builder, as Protocols, and the table of builders.

`ContainerEngine` is every engine operation the pool, the plan and the image worker call; the
SDK adapter (`builder.engine.Engine`) satisfies it, and so do the fakes of the tests and the
pool benchmark. A `Builder` turns a build request into an image on one engine; `BUILDERS` maps
each builder name a plan can choose (`PlannedImage.builder`) to its builder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

from builder import buildkit
from builder.config import TlsSettings
from builder.engine.inventory import Inventory
from builder.engine.operations import EngineInfo, EngineStatus, PushAuth, TaggedImage
from builder.records import BuildOutput, BuildRequest, CancelHandle
from builder.uploads import OnPushProgress

OnOutput = Callable[[BuildOutput], None]


class ContainerEngine(Protocol):
    """One engine of the pool. Failures raise `EngineError`; builds raise `BuildError`."""

    @property
    def url(self) -> str: ...

    @property
    def tls(self) -> TlsSettings | None: ...

    def ping(self, timeout: float = 5.0) -> str | None: ...

    def info(self) -> EngineInfo: ...

    def status(self) -> EngineStatus: ...

    def inventory(self) -> Inventory: ...

    def image_id(self, ref: str) -> str | None: ...

    def tagged_image(self, ref: str) -> TaggedImage | None: ...

    def tag(self, image_id: str, refs: tuple[str, ...]) -> None: ...

    def untag(self, ref: str) -> None: ...

    def pull(
        self, ref: str, handle: CancelHandle | None = None, auth: PushAuth | None = None
    ) -> str: ...

    def save(self, image_id: str) -> Iterator[bytes]: ...

    def load(self, data: Iterator[bytes], handle: CancelHandle | None = None) -> str: ...

    def build(
        self, request: BuildRequest, on_output: OnOutput, handle: CancelHandle | None = None
    ) -> str: ...

    def push(
        self,
        repository: str,
        tag: str,
        auth: PushAuth | None,
        on_progress: OnPushProgress | None = None,
    ) -> str: ...


class Builder(Protocol):
    """Builds `request` on `engine`; returns the image ID. Failures raise `BuildError`."""

    def __call__(
        self,
        request: BuildRequest,
        engine: ContainerEngine,
        on_output: OnOutput,
        handle: CancelHandle,
    ) -> str: ...


def classic(
    request: BuildRequest, engine: ContainerEngine, on_output: OnOutput, handle: CancelHandle
) -> str:
    """The engine's own (legacy) builder, driven through the Engine API."""
    return engine.build(request, on_output, handle)


def buildkit_client(
    request: BuildRequest, engine: ContainerEngine, on_output: OnOutput, handle: CancelHandle
) -> str:
    """The engine's BuildKit, driven by a docker client given the engine's URL."""
    return buildkit.build(request, engine.url, on_output, handle)


BUILDERS: Mapping[str, Builder] = {"classic": classic, "buildkit": buildkit_client}
