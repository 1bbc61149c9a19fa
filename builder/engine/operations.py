"""One Docker Engine and what imgbuild asks of it: inspect, list, tag, build, move and push.

A build can be cancelled from another thread by shutting its socket down, which makes the
engine abort the build and remove its containers. Reads go over the standard library where the
engine is a local unix socket without TLS (`builder.engine.local`); everything else goes
through the Docker SDK (`builder.engine.sdk`), imported on first use.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

from builder.config import TlsSettings
from builder.context import DOCKERFILE_NAME, context_tar
from builder.engine import streams
from builder.engine.inventory import Inventory, read_inventory
from builder.engine.local import LocalReader, NotFound
from builder.engine.sdk import new_client, sdk, sdk_errors, transport_errors
from builder.errors import BuildError, EngineError
from builder.platforms import Platform, engine_platform
from builder.records import (
    INPUT_DIGEST_LABEL,
    BuildCancelled,
    BuildOutput,
    BuildRequest,
    CancelHandle,
    StepFailed,
)
from builder.refs import split_ref
from builder.uploads import OnPushProgress

_AMD64 = Platform("linux", "amd64")
_DEFAULT_SOCKET = "unix:///var/run/docker.sock"


@dataclass(frozen=True)
class EngineInfo:
    url: str
    version: str
    api_version: str
    platform: Platform = _AMD64  # what it builds natively


@dataclass(frozen=True)
class TaggedImage:
    image_id: str
    input_digest: str | None
    tags: frozenset[str]
    platform: Platform | None = None  # what its config says it runs on


@dataclass(frozen=True)
class EngineStatus:
    """What `imgbuild engines` shows of an engine that answers."""

    version: str
    api_version: str
    root_dir: str
    images: int
    images_size: int  # bytes on disk for all image layers (system df)
    architecture: str
    cpus: int


@dataclass(frozen=True)
class PushAuth:
    username: str  # "<token>" for an identity token, as Docker's config.json spells it
    secret: str = field(repr=False)


class PushFailed(EngineError):
    """The engine reported the push as failed; `transient` when a retry may succeed."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


_PUSH_DENIED = re.compile(r"unauthorized|authentication required|denied|forbidden", re.I)
_PUSH_TRANSIENT = re.compile(
    r"connection refused|connection reset|broken pipe|\bEOF\b|timeout|timed out|"
    r"too many requests|temporar|\b50[0-4]\b|status: 5\d\d",
    re.I,
)


def engine_url(url: str | None = None) -> str:
    return url or os.environ.get("DOCKER_HOST") or _DEFAULT_SOCKET


class Engine:
    """A Docker Engine reached at one URL. Thread-safe: each thread gets its own client."""

    def __init__(
        self, url: str | None = None, *, timeout: int = 600, tls: TlsSettings | None = None
    ) -> None:
        self.url = engine_url(url)
        self.tls = tls
        self._timeout = timeout
        self._local = threading.local()
        self._api_version: str | None = None
        self._info: EngineInfo | None = None

    def _client(self, handle: CancelHandle | None = None) -> Any:
        client: Any = getattr(self._local, "client", None)
        if client is None:
            try:
                client = self._new_client(self._timeout)
            except sdk().errors.DockerException as error:
                raise self._unreachable(error) from error
            self._api_version = client.api_version
            self._local.client = client
        client.handle = handle
        return client

    def _new_client(self, timeout: float) -> Any:
        return new_client(self.url, api_version=self._api_version, timeout=timeout, tls=self.tls)

    def ping(self, timeout: float = 5.0) -> str | None:
        """None when the engine answers right now (a new connection), else why it does not."""
        try:
            client = self._new_client(timeout)
            try:
                client.ping()
            finally:
                client.close()
        except transport_errors() as error:
            if "timed out" in str(error):
                return f"no answer within {timeout:g} s"
            return self._unreachable(error).message.split(": ", 1)[-1]
        return None

    def _unreachable(self, error: Exception) -> EngineError:
        reason = str(error).split("(Caused by")[0].strip() or type(error).__name__
        if isinstance(error, FileNotFoundError | ConnectionRefusedError) or (
            "FileNotFoundError" in reason or "ConnectionRefusedError" in reason
        ):
            reason = "nothing is listening there"
        return EngineError(
            f"the Docker Engine at {self.url} does not answer: {reason}",
            hint="start one with make demo or make test, or set DOCKER_HOST",
        )

    def _reader(self) -> LocalReader | None:
        """The stdlib reader, for a local unix-socket engine without TLS; else None."""
        if self.url.startswith("unix://") and self.tls is None:
            return LocalReader(self.url.removeprefix("unix://"), timeout=30)
        return None

    def _read(self, what: str, path: str) -> Any:
        """GET `path` (None when absent), over the stdlib reader where possible."""
        reader = self._reader()
        if reader is None:
            api = self._client()
            return self._call(what, lambda: api._result(api._get(api._url(path)), True))
        try:
            return reader.get(path)
        except NotFound:
            return None
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise self._unreachable(error) from error

    def info(self) -> EngineInfo:
        """The engine's version; asked once, then remembered."""
        if self._info is None:
            version = self._read("asking the version", "/version")
            self._info = EngineInfo(
                url=self.url,
                version=str(version.get("Version", "?")),
                api_version=str(version.get("ApiVersion", "?")),
                platform=engine_platform(
                    str(version.get("Os") or ""), str(version.get("Arch") or "amd64")
                ),
            )
        return self._info

    def _call(self, what: str, function: Callable[[], Any]) -> Any:
        try:
            return function()
        except sdk().errors.NotFound:
            return None
        except sdk().errors.APIError as error:
            raise EngineError(f"{what}: {error.explanation or error}") from error
        except sdk_errors() as error:
            raise self._unreachable(error) from error

    def image_id(self, ref: str) -> str | None:
        """The ID of the image `ref` names in the engine, or None."""
        found = self.tagged_image(ref)
        return found.image_id if found else None

    def tagged_image(self, ref: str) -> TaggedImage | None:
        """What `ref` names: its ID, input digest label and every tag it has; None if absent."""
        inspected = self._read(f"inspecting {ref}", f"/images/{quote(ref, safe='/:@')}/json")
        if not inspected:
            return None
        labels = (inspected.get("Config") or {}).get("Labels") or {}
        architecture = str(inspected.get("Architecture") or "")
        return TaggedImage(
            image_id=str(inspected["Id"]),
            input_digest=labels.get(INPUT_DIGEST_LABEL),
            tags=frozenset(inspected.get("RepoTags") or ()),
            platform=engine_platform(
                str(inspected.get("Os") or ""), architecture, str(inspected.get("Variant") or "")
            )
            if architecture
            else None,
        )

    def inventory(self) -> Inventory:
        """Every image's ID, tags and input digest, in one listing."""
        return read_inventory(self._read)

    def status(self) -> EngineStatus:
        """Version, storage and image figures, for `imgbuild engines`."""
        client = self._client()
        info = self._call("reading engine info", client.info) or {}
        usage = self._call("reading disk usage", client.df) or {}
        version = self.info()
        return EngineStatus(
            version=version.version,
            api_version=version.api_version,
            root_dir=str(info.get("DockerRootDir", "")),
            images=int(info.get("Images") or 0),
            images_size=int(usage.get("LayersSize") or 0),
            architecture=str(info.get("Architecture", "?")),
            cpus=int(info.get("NCPU") or 0),
        )

    def untag(self, ref: str) -> None:
        """Remove the tag `ref` unless it is the image's last name (that would delete it)."""
        inspected = self._call(f"inspecting {ref}", lambda: self._client().inspect_image(ref))
        if inspected and len(inspected.get("RepoTags") or ()) > 1:
            self._call(f"untagging {ref}", lambda: self._client().remove_image(ref, noprune=True))

    def save(self, image_id: str) -> Iterator[bytes]:
        """The image as a `docker save` tar stream."""
        reader = self._reader()
        if reader is not None:
            return self._local_stream(reader, f"/images/{quote(image_id, safe=':')}/get", image_id)
        stream: Iterator[bytes] | None = self._call(
            f"saving {image_id}", lambda: self._client().get_image(image_id)
        )
        if stream is None:
            raise EngineError(f"saving {image_id}: no such image")
        return self._guard(f"saving {image_id}", stream)

    def _local_stream(self, reader: LocalReader, path: str, image_id: str) -> Iterator[bytes]:
        with self._local_errors(f"saving {image_id}"):
            yield from reader.stream(path)

    @contextlib.contextmanager
    def _local_errors(self, what: str) -> Iterator[None]:
        """The stdlib reader's failures as the SDK path reports them: `what: no such image`
        for an absent image, the engine not answering for a broken socket."""
        try:
            yield
        except NotFound:
            raise EngineError(f"{what}: no such image") from None
        except (OSError, http.client.HTTPException) as error:
            raise self._unreachable(error) from error

    def _guard(self, what: str, stream: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from stream
        except transport_errors() as error:
            raise self._unreachable(error) from error

    def load(self, data: Iterator[bytes], handle: CancelHandle | None = None) -> str:
        """Load a `docker save` stream; return the loaded image's ID."""
        image_id: str | None = self._call(
            "loading an image",
            lambda: streams.read_load(self._client(handle).load_image(data)),
        )
        if image_id is None:  # the SDK's NotFound, which a load never answers
            raise EngineError("loading an image: the engine reported no image ID")
        return image_id

    def tag(self, image_id: str, refs: tuple[str, ...]) -> None:
        reader = self._reader()
        if reader is not None:
            for ref in refs:
                parsed = split_ref(ref)
                query = urlencode({"repo": parsed.repository, "tag": parsed.tag_or_latest})
                with self._local_errors(f"tagging {ref}"):
                    reader.post(f"/images/{quote(image_id, safe=':')}/tag?{query}")
            return
        client = self._client()
        for ref in refs:
            parsed = split_ref(ref)
            self._call(
                f"tagging {ref}",
                partial(client.tag, image_id, parsed.repository, parsed.tag, force=True),
            )

    def pull(
        self, ref: str, handle: CancelHandle | None = None, auth: PushAuth | None = None
    ) -> str:
        """Pull `ref` (with `auth` for its registry); raise EngineError with the engine's reason
        when it cannot."""
        parsed = split_ref(ref)
        # The engine takes a digest where the tag goes (`fromImage=REPO&tag=sha256:...`).
        tag = parsed.digest or parsed.tag or "latest"

        def run() -> None:
            events = self._client(handle).pull(
                parsed.repository, tag, stream=True, decode=True, auth_config=_auth_config(auth)
            )
            streams.read_pull(events, ref)

        self._call(f"pulling {ref}", run)
        image_id = self.image_id(ref)
        if image_id is None:
            raise EngineError(f"pulling {ref} gave no image")
        return image_id

    def build(
        self,
        request: BuildRequest,
        on_output: Callable[[BuildOutput], None],
        handle: CancelHandle | None = None,
    ) -> str:
        """Build with the classic builder; return the image ID. Failures raise BuildError."""
        stream = streams.BuildStream(on_output)
        try:
            self._send_build(request, stream, handle)
        except sdk().errors.APIError as error:
            raise BuildError(
                f"the engine refused the build: {error.explanation or error}",
                hint=stream.hint(),
            ) from error
        except BuildError:
            raise
        except Exception as error:
            # A shut socket surfaces as whatever layer noticed first (requests, urllib3, OSError).
            if handle is not None and handle.cancelled.is_set():
                raise BuildCancelled("cancelled") from error
            if isinstance(error, transport_errors()):
                raise self._unreachable(error) from error
            raise
        if handle is not None and handle.cancelled.is_set():
            raise BuildCancelled("cancelled")
        if stream.error is not None:
            raise StepFailed(stream.error, step=stream.step, log=tuple(stream.log))
        if stream.image_id is None:
            raise BuildError("the engine finished the build without an image ID")
        return stream.image_id

    def _send_build(
        self, request: BuildRequest, stream: streams.BuildStream, handle: CancelHandle | None
    ) -> None:
        try:
            context = context_tar(request.context, request.dockerfile_text)
        except OSError as error:  # a context file went away or became unreadable since the walk
            raise BuildError(f"packing the build context: {error}") from error
        with context:
            events = self._client(handle).build(
                fileobj=context,
                custom_context=True,
                dockerfile=DOCKERFILE_NAME,
                buildargs=dict(request.args),
                target=request.target,
                network_mode=None if request.network == "default" else request.network,
                nocache=request.no_cache,
                rm=True,
                forcerm=True,
                pull=False,
                decode=True,
                **({"platform": request.platform} if request.platform else {}),
                **({"cache_from": list(request.cache_from)} if request.cache_from else {}),
            )
            for event in events:
                stream.read(event)

    def push(
        self,
        repository: str,
        tag: str,
        auth: PushAuth | None,
        on_progress: OnPushProgress | None = None,
    ) -> str:
        """Push `repository:tag` (tagged already); return the registry's manifest digest.

        `on_progress` is called on every layer event with where the whole push stands."""
        ref = f"{repository}:{tag}"
        layers = streams.PushLayers(ref, on_progress) if on_progress is not None else None
        outcome: streams.PushOutcome | None = self._call(
            f"pushing {ref}",
            lambda: streams.read_push(
                self._client().push(
                    repository, tag, stream=True, decode=True, auth_config=_auth_config(auth)
                ),
                layers,
            ),
        )
        if outcome is None:
            raise PushFailed(f"pushing {ref}: no such image in the engine", transient=False)
        if outcome.error is not None:
            transient = not _PUSH_DENIED.search(outcome.error) and bool(
                _PUSH_TRANSIENT.search(outcome.error)
            )
            raise PushFailed(f"pushing {ref} failed: {outcome.error}", transient=transient)
        if outcome.digest is None:
            raise PushFailed(f"pushing {ref}: the engine reported no digest", transient=False)
        return outcome.digest


def _auth_config(auth: PushAuth | None) -> dict[str, str] | None:
    if auth is None:
        return None
    if auth.username == "<token>":
        return {"identitytoken": auth.secret}
    return {"username": auth.username, "password": auth.secret}
