"""Engines in memory, for unit tests of the run and for the pool benchmark's simulated engines.

`FakeEngine` satisfies `builder.builders.ContainerEngine`: it holds image IDs and tags, builds
in no time (an ID made from the request), moves images by save/load of their ID, and can be
told to fail (`fail_build`), to hold a build until released (`gate`), or to be down (`down`).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from builder.config import TlsSettings
from builder.engine.inventory import Inventory
from builder.engine.operations import EngineInfo, EngineStatus, PushAuth, TaggedImage
from builder.errors import EngineError
from builder.graph import Graph
from builder.inputs import InputResolver
from builder.plan import Plan, make_plan
from builder.platforms import Platform, parse_platform
from builder.pool import Member, Pool
from builder.records import INPUT_DIGEST_LABEL, BuildOutput, BuildRequest, CancelHandle
from builder.uploads import OnPushProgress

AMD64 = Platform("linux", "amd64")
BASE_REF = "base:1"
BASE_ID = "sha256:" + "b" * 64
_DIGEST_LABEL = re.compile(re.escape(INPUT_DIGEST_LABEL) + r'"?="?([^"\s]+)')


class FakeEngine:
    """An engine whose work takes no time; thread-safe."""

    def __init__(
        self,
        url: str = "unix:///fake/docker.sock",
        *,
        images: Mapping[str, str] | None = None,
        api_version: str = "1.41",
        platform: Platform = AMD64,
    ) -> None:
        self.url = url
        self.platform = platform
        self.image_platforms: dict[str, Platform] = {}  # image ID -> its platform, when not ours
        self.tls: TlsSettings | None = None
        self.api_version = api_version
        self.tags: dict[str, str] = dict({BASE_REF: BASE_ID} if images is None else images)
        self.ids: set[str] = set(self.tags.values())
        self.digests: dict[str, str] = {}  # image ID -> its input digest label
        self.built: list[str] = []  # image names, in the order their builds started
        self.down: str | None = None  # why it does not answer, when it does not
        # Called at the start of each build (from the worker thread): raise to fail it.
        self.on_build: Callable[[BuildRequest, CancelHandle | None], None] | None = None
        self._lock = threading.Lock()

    def _answer(self) -> None:
        if self.down is not None:
            raise EngineError(f"cannot reach the engine at {self.url}: {self.down}")

    def ping(self, timeout: float = 5.0) -> str | None:
        return self.down

    def info(self) -> EngineInfo:
        self._answer()
        return EngineInfo(self.url, "20.10.24", self.api_version, self.platform)

    def status(self) -> EngineStatus:
        self._answer()
        return EngineStatus("20.10.24", self.api_version, "", len(self.ids), 0, "x86_64", 2)

    def inventory(self) -> Inventory:
        self._answer()
        with self._lock:
            by_digest = {digest: image for image, digest in self.digests.items()}
            return Inventory(by_digest, dict(self.tags), frozenset(self.ids), 0)

    def image_id(self, ref: str) -> str | None:
        self._answer()
        with self._lock:
            return self.tags.get(ref) or (ref if ref in self.ids else None)

    def tagged_image(self, ref: str) -> TaggedImage | None:
        self._answer()
        with self._lock:
            image = self.tags.get(ref)
            if image is None:
                return None
            refs = frozenset(tag for tag, tagged in self.tags.items() if tagged == image)
            platform = self.image_platforms.get(image, self.platform)
            return TaggedImage(image, self.digests.get(image), refs, platform)

    def tag(self, image_id: str, refs: tuple[str, ...]) -> None:
        self._answer()
        with self._lock:
            self.tags.update(dict.fromkeys(refs, image_id))

    def untag(self, ref: str) -> None:
        with self._lock:
            self.tags.pop(ref, None)

    def pull(
        self, ref: str, handle: CancelHandle | None = None, auth: PushAuth | None = None
    ) -> str:
        raise EngineError(f"pulling {ref} failed: no registry here")

    def push(
        self,
        repository: str,
        tag: str,
        auth: PushAuth | None,
        on_progress: OnPushProgress | None = None,
    ) -> str:
        raise EngineError(f"pushing {repository}:{tag} failed: no registry here")

    def save(self, image_id: str) -> Iterator[bytes]:
        self._answer()
        with self._lock:
            digest = self.digests.get(image_id, "")
        yield f"{image_id} {digest}".encode()

    def load(self, data: Iterator[bytes], handle: CancelHandle | None = None) -> str:
        self._answer()
        image_id, _, digest = b"".join(data).decode().partition(" ")
        with self._lock:
            self.ids.add(image_id)
            if digest:
                self.digests[image_id] = digest
        return image_id

    def build(
        self,
        request: BuildRequest,
        on_output: Callable[[BuildOutput], None],
        handle: CancelHandle | None = None,
    ) -> str:
        self._answer()
        with self._lock:
            self.built.append(request.name)
        if self.on_build is not None:
            self.on_build(request, handle)
        on_output(BuildOutput("Step 1/1 : FROM base", 1, 1))
        on_output(BuildOutput(" ---> done"))
        image_id = "sha256:" + hashlib.sha256(request.dockerfile_text.encode()).hexdigest()
        found = _DIGEST_LABEL.search(request.dockerfile_text)
        with self._lock:
            self.ids.add(image_id)
            if request.platform:
                self.image_platforms[image_id] = parse_platform(request.platform)
            if found:
                self.digests[image_id] = found.group(1)
        return image_id


def fake_pool(*engines: FakeEngine, jobs: int | None = None) -> Pool:
    """One engine is the pool of one ("default"); several are e1, e2, ..."""
    if len(engines) == 1:
        return Pool((Member("default", engines[0], jobs),))
    return Pool(tuple(Member(f"e{n}", e, jobs) for n, e in enumerate(engines, start=1)))


def write_images(root: Path, images: Mapping[str, str], extra: str = "") -> Path:
    """A project with one image per entry (name -> Dockerfile text, repository `t/NAME`);
    `extra` is appended to each image's table (e.g. `engine = "e2"`)."""
    lines = []
    for name, dockerfile in images.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "Dockerfile").write_text(dockerfile)
        lines.append(f'[images.{name}]\ncontext = "{name}"\nrepository = "t/{name}"\n{extra}\n')
    config = root / "imgbuild.toml"
    config.write_text("\n".join(lines))
    return config


def plan_for(graph: Graph, pool: Pool) -> tuple[Plan, InputResolver]:
    pool.connect()
    resolver = InputResolver(pool)
    return make_plan(graph, resolver, pool, builder="classic"), resolver
