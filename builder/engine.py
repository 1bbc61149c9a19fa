"""The Docker Engine adapter: the only module that imports the Docker SDK.

docker-py reports build and push failures inside the response stream (`errorDetail`), not as
exceptions; every stream is read to the end here and failures become `BuildError` /
`EngineError`, so callers never see a half-success. A build can be cancelled from another thread
by shutting its socket down, which makes the engine abort the build and remove its containers.

The SDK (with requests and urllib3) is imported on first use: a run where nothing changed only
asks a local engine for its version and inspects tags, which a few stdlib HTTP requests over the
unix socket do (`_LocalReader`), so such a run never pays for importing it.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import io
import json
import os
import re
import socket
import tarfile
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote

from builder.config import TlsSettings
from builder.errors import BuildError, EngineError
from builder.records import (
    INPUT_DIGEST_LABEL,
    BuildCancelled,
    BuildOutput,
    BuildRequest,
    CancelHandle,
    StepFailed,
)

_STEP_RE = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
_SYNTHETIC_DOCKERFILE = ".imgbuild.Dockerfile"
_DEFAULT_SOCKET = "unix:///var/run/docker.sock"


@functools.cache
def _sdk() -> Any:
    """The docker package, imported on first use (see the module docstring)."""
    import docker
    import docker.errors

    return docker


def _sdk_errors() -> tuple[type[Exception], ...]:
    """What the SDK raises when the engine cannot be reached or refuses."""
    import requests.exceptions

    return (_sdk().errors.DockerException, requests.exceptions.RequestException)


def _transport_errors() -> tuple[type[Exception], ...]:
    import urllib3.exceptions

    return (*_sdk_errors(), urllib3.exceptions.HTTPError, OSError)


@dataclass(frozen=True)
class EngineInfo:
    url: str
    version: str
    api_version: str


@dataclass(frozen=True)
class Inventory:
    """What an engine holds, from one image listing: the scheduler's view of a pool engine."""

    by_digest: Mapping[str, str]  # input digest -> the image that set it (the oldest)
    tags: Mapping[str, str]  # "repository:tag" -> image ID
    ids: frozenset[str]
    size: int  # bytes, shared layers counted once per image (as `docker images` shows)


@dataclass(frozen=True)
class TaggedImage:
    image_id: str
    input_digest: str | None
    tags: frozenset[str]


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


@functools.cache
def _client_class(pinned_ca: bool) -> Any:
    """The SDK client class, made on first use so that importing this module stays cheap."""

    class _APIClient(_sdk().APIClient):  # type: ignore[misc]
        """An APIClient that hands each streaming response to a CancelHandle."""

        handle: CancelHandle | None = None

        def _stream_helper(self, response: Any, decode: bool = False) -> Iterator[Any]:
            if self.handle is not None:
                self.handle.attach(response)
            return super()._stream_helper(response, decode=decode)  # type: ignore[no-any-return]

    class _PinnedCAClient(_APIClient):
        """A client that never reads settings from the environment (requests' `trust_env`),
        which would put a CA bundle named there over the CA the engine's TLS settings give."""

        @property
        def trust_env(self) -> bool:
            return False

        @trust_env.setter
        def trust_env(self, value: bool) -> None:
            pass  # requests.Session.__init__ sets it; the pinned CA must win

    return _PinnedCAClient if pinned_ca else _APIClient


class _NotFound(Exception):
    pass


class _LocalReader:
    """GET requests to a local engine over its unix socket, with the standard library only."""

    def __init__(self, socket_path: str, timeout: float) -> None:
        self.socket_path = socket_path
        self.timeout = timeout

    def get(self, path: str) -> Any:
        connection = _UnixConnection(self.socket_path, self.timeout)
        try:
            connection.request("GET", path, headers={"Host": "docker"})
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status == 404:
            raise _NotFound(path)
        if response.status != 200:
            message = body.decode(errors="replace").strip()
            with contextlib.suppress(ValueError, AttributeError):
                message = json.loads(body).get("message", message)
            raise EngineError(f"the engine answered {response.status}: {message}")
        return json.loads(body)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, socket_path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


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
            except _sdk().errors.DockerException as error:
                raise self._unreachable(error) from error
            self._api_version = client.api_version
            self._local.client = client
        client.handle = handle
        return client

    def _new_client(self, timeout: float) -> Any:
        tls: Any = False
        if self.tls is not None:
            import docker.tls

            tls = docker.tls.TLSConfig(
                client_cert=(str(self.tls.cert), str(self.tls.key)) if self.tls.cert else None,
                ca_cert=str(self.tls.ca) if self.tls.ca else None,
                verify=self.tls.verify,
            )
        # requests would let REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE replace a configured CA.
        kind = _client_class(self.tls is not None and self.tls.ca is not None)
        return kind(
            base_url=self.url,
            version=self._api_version or "auto",
            timeout=timeout,
            tls=tls,
            # docker-py speaks ssh:// through paramiko, which is not a dependency; the ssh
            # binary is what the docker CLI uses too.
            use_ssh_client=self.url.startswith("ssh://"),
        )

    def ping(self, timeout: float = 5.0) -> str | None:
        """None when the engine answers right now (a new connection), else why it does not."""
        try:
            client = self._new_client(timeout)
            try:
                client.ping()
            finally:
                client.close()
        except _transport_errors() as error:
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

    def _reader(self) -> _LocalReader | None:
        """The stdlib reader, for a local unix-socket engine without TLS; else None."""
        if self.url.startswith("unix://") and self.tls is None:
            return _LocalReader(self.url.removeprefix("unix://"), timeout=30)
        return None

    def _read(self, what: str, path: str) -> Any:
        """GET `path` (None when absent), over the stdlib reader where possible."""
        reader = self._reader()
        if reader is None:
            api = self._client()
            return self._call(what, lambda: api._result(api._get(api._url(path)), True))
        try:
            return reader.get(path)
        except _NotFound:
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
            )
        return self._info

    def _call(self, what: str, function: Callable[[], Any]) -> Any:
        try:
            return function()
        except _sdk().errors.NotFound:
            return None
        except _sdk().errors.APIError as error:
            raise EngineError(f"{what}: {error.explanation or error}") from error
        except _sdk_errors() as error:
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
        return TaggedImage(
            image_id=str(inspected["Id"]),
            input_digest=labels.get(INPUT_DIGEST_LABEL),
            tags=frozenset(inspected.get("RepoTags") or ()),
        )

    def inventory(self) -> Inventory:
        """Every image's ID, tags and input digest, in one listing.

        Labels are inherited, so an image built FROM ours (or a classic build's unused stage
        image, left dangling) carries the same digest label; the one that set it is the oldest.
        The listing gives whole seconds: images created in the same second are inspected for
        their exact creation time.
        """
        images = self._call("listing images", lambda: self._client().images()) or []
        labelled: dict[str, list[dict[str, Any]]] = {}
        tags: dict[str, str] = {}
        for image in images:
            digest = (image.get("Labels") or {}).get(INPUT_DIGEST_LABEL)
            if digest:
                labelled.setdefault(digest, []).append(image)
            for ref in image.get("RepoTags") or ():
                if ref != "<none>:<none>":
                    tags[ref] = str(image["Id"])
        return Inventory(
            by_digest={digest: self._oldest(found) for digest, found in labelled.items()},
            tags=tags,
            ids=frozenset(str(image["Id"]) for image in images),
            size=sum(int(image.get("Size") or 0) for image in images),
        )

    def _oldest(self, images: list[dict[str, Any]]) -> str:
        first = min(int(image.get("Created") or 0) for image in images)
        tied = sorted(
            str(image["Id"]) for image in images if int(image.get("Created") or 0) == first
        )
        if len(tied) == 1:
            return tied[0]
        return min(tied, key=lambda image_id: (self._created(image_id), image_id))

    def _created(self, image_id: str) -> str:
        """The exact creation time, as a sortable string ("" when the image is gone)."""
        inspected = self._call(
            f"inspecting {image_id}", lambda: self._client().inspect_image(image_id)
        )
        return _sortable_time(str((inspected or {}).get("Created", "")))

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
        stream: Iterator[bytes] | None = self._call(
            f"saving {image_id}", lambda: self._client().get_image(image_id)
        )
        if stream is None:
            raise EngineError(f"saving {image_id}: no such image")
        return self._guard(f"saving {image_id}", stream)

    def _guard(self, what: str, stream: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from stream
        except _transport_errors() as error:
            raise self._unreachable(error) from error

    def load(self, data: Iterator[bytes], handle: CancelHandle | None = None) -> str:
        """Load a `docker save` stream; return the loaded image's ID."""
        loaded: dict[str, str] = {}

        def run() -> bool:
            for event in self._client(handle).load_image(data):
                if "errorDetail" in event or "error" in event:
                    detail = event.get("errorDetail") or {}
                    loaded["error"] = str(detail.get("message") or event.get("error"))
                text = str(event.get("stream") or "")
                if "Loaded image ID: " in text:
                    loaded["id"] = text.split("Loaded image ID: ", 1)[1].strip()
            return True

        self._call("loading an image", run)
        if "error" in loaded:
            raise EngineError(f"loading an image failed: {loaded['error']}")
        if "id" not in loaded:
            raise EngineError("loading an image: the engine reported no image ID")
        return loaded["id"]

    def tag(self, image_id: str, refs: tuple[str, ...]) -> None:
        client = self._client()
        for ref in refs:
            repository, _, tag = ref.rpartition(":")
            self._call(
                f"tagging {ref}",
                partial(client.tag, image_id, repository, tag, force=True),
            )

    def pull(self, ref: str, handle: CancelHandle | None = None) -> str:
        """Pull `ref`; raise EngineError with the engine's reason when it cannot."""
        repository, _, tag = (
            ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "latest")
        )

        def run() -> None:
            for event in self._client(handle).pull(
                repository, tag or "latest", stream=True, decode=True
            ):
                if "error" in event or "errorDetail" in event:
                    detail = event.get("errorDetail") or {}
                    message = detail.get("message") or event.get("error")
                    raise EngineError(f"pulling {ref} failed: {message}")

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
        context, dockerfile_name = _context_tar(request)
        state = _StreamState()
        try:
            with context:
                stream = self._client(handle).build(
                    fileobj=context,
                    custom_context=True,
                    dockerfile=dockerfile_name,
                    buildargs=dict(request.args),
                    target=request.target,
                    network_mode=None if request.network == "default" else request.network,
                    nocache=request.no_cache,
                    rm=True,
                    forcerm=True,
                    pull=False,
                    decode=True,
                )
                for event in stream:
                    state.read(event, on_output)
        except _sdk().errors.APIError as error:
            raise BuildError(
                f"the engine refused the build: {error.explanation or error}",
                hint=state.hint(),
            ) from error
        except Exception as error:
            # A shut socket surfaces as whatever layer noticed first (requests, urllib3, OSError).
            if handle is not None and handle.cancelled.is_set():
                raise BuildCancelled("cancelled") from error
            if isinstance(error, _transport_errors()):
                raise self._unreachable(error) from error
            raise
        if handle is not None and handle.cancelled.is_set():
            raise BuildCancelled("cancelled")
        if state.error is not None:
            raise StepFailed(state.error, step=state.step, log=tuple(state.log))
        if state.image_id is None:
            raise BuildError("the engine finished the build without an image ID")
        return state.image_id


def _sortable_time(created: str) -> str:
    """RFC 3339 with nanoseconds ("...T10:38:28.1234Z") padded so strings sort by time."""
    whole, _, fraction = created.removesuffix("Z").partition(".")
    return f"{whole}.{fraction.ljust(9, '0')}"


@dataclass
class _StreamState:
    image_id: str | None = None
    error: str | None = None
    step: str | None = None
    log: list[str] = field(default_factory=list)

    def read(self, event: Mapping[str, Any], on_output: Callable[[BuildOutput], None]) -> None:
        if "errorDetail" in event or "error" in event:
            detail = event.get("errorDetail") or {}
            self.error = str(detail.get("message") or event.get("error") or "build failed")
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
                on_output(BuildOutput(line, int(match.group(1)), int(match.group(2))))
                continue
            self.log.append(line)
            del self.log[:-20]
            on_output(BuildOutput(line))

    def hint(self) -> str | None:
        return f"at {self.step}" if self.step else None


def _context_tar(request: BuildRequest) -> tuple[Any, str]:
    """The context as an uncompressed tar (spooled to disk when large) and the Dockerfile's name.

    The tar holds exactly the files of the snapshot the digest was computed from. The Dockerfile
    sent (rendered, or with labels written in) is added under a private name that the tar's
    .dockerignore lists, as the docker CLI does for an outside Dockerfile, so the engine drops
    it from the context and `COPY .` never copies it.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 (returned open)
    root = request.context.root
    with tarfile.open(fileobj=spool, mode="w", format=tarfile.PAX_FORMAT) as archive:
        ignore_text = None
        for entry in request.context.entries:
            full = os.path.join(root, entry.path)
            if entry.path == ".dockerignore":
                with open(full, "rb") as stream:
                    ignore_text = stream.read()
                continue
            info = archive.gettarinfo(full, arcname=entry.path)
            _normalise(info)
            if info.isfile():
                with open(full, "rb") as stream:
                    archive.addfile(info, stream)
            else:
                archive.addfile(info)
        name = _SYNTHETIC_DOCKERFILE
        _add_bytes(archive, name, request.dockerfile_text.encode())
        listed = (ignore_text or b"").rstrip(b"\n") + f"\n{name}\n.dockerignore\n".encode()
        _add_bytes(archive, ".dockerignore", listed.lstrip(b"\n"))
    spool.seek(0)
    return spool, name


def _normalise(info: tarfile.TarInfo) -> None:
    # Owner and times of context files must not leak into the build (docker CLI does the same).
    info.uid = info.gid = 0
    info.uname = info.gname = ""


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


# ---------------------------------------------------------------------------------------------
# Publishing (issue 5; used by builder/publish.py): pushing a tag. The push stream, like the
# build stream, reports failure only inside it: every event is read, an `errorDetail` fails.


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


def push_image(engine: Engine, repository: str, tag: str, auth: PushAuth | None) -> str:
    """Push `repository:tag` (already tagged locally); return the registry's manifest digest."""
    auth_config: dict[str, str] | None = None
    if auth is not None:
        auth_config = (
            {"identitytoken": auth.secret}
            if auth.username == "<token>"
            else {"username": auth.username, "password": auth.secret}
        )
    outcome: dict[str, str] = {}

    def run() -> bool:
        stream = engine._client().push(
            repository, tag, stream=True, decode=True, auth_config=auth_config
        )
        for event in stream:
            if "errorDetail" in event or "error" in event:
                detail = event.get("errorDetail") or {}
                outcome["error"] = str(detail.get("message") or event.get("error"))
            aux = event.get("aux")
            if isinstance(aux, dict) and isinstance(aux.get("Digest"), str):
                outcome["digest"] = aux["Digest"]
        return True

    ref = f"{repository}:{tag}"
    if engine._call(f"pushing {ref}", run) is None:
        raise PushFailed(f"pushing {ref}: no such image in the engine", transient=False)
    if "error" in outcome:
        message = outcome["error"]
        transient = not _PUSH_DENIED.search(message) and bool(_PUSH_TRANSIENT.search(message))
        raise PushFailed(f"pushing {ref} failed: {message}", transient=transient)
    if "digest" not in outcome:
        raise PushFailed(f"pushing {ref}: the engine reported no digest", transient=False)
    return outcome["digest"]
