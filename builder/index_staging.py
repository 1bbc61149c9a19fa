"""Putting an image's platform manifests in the registry while the images built on it build.

An image of several platforms is published as an index of per-platform manifests
(`builder.oci.push`): each platform's blobs and manifest go up by digest, under no tag, and
only then is the index put under the image's tags. That first part needs nothing but the image's
own variants, so it is done here as soon as they are built, while the rest of the graph is
still building; `publish` then finds it done and only tags. On a deep graph of large images,
the upload of each layer hides behind the builds that follow it.

What a user sees never moves early: no tag is written here, so a build that fails later leaves
only untagged blobs and manifests (as an interrupted `docker push` does; the registry's garbage
collection removes them). Staging is an optimisation and never the one to fail a run: any
error drops the staged result, and the publish does that image's work itself, reporting what
goes wrong in its own order (credentials first).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from builder.errors import ImgbuildError
from builder.events import ImageFinished, Status
from builder.oci.push import BlobLedger, PushedIndex, Variant, matches_variants, push_index
from builder.registry import RegistryClient
from builder.retry import RetryPolicy

if TYPE_CHECKING:
    from builder.builders import ContainerEngine
    from builder.events import Emit, Event, ImageResult
    from builder.graph import Graph

# Where an image goes: (registry key, repository in it, the tag publish puts first there).
Place = tuple[str, str, str]
_Key = tuple[str, str, tuple[Variant, ...]]


class IndexStaging:
    """Stages each image of several platforms once all its variants are built; `take` hands
    the result to the publish (waiting for it if it is still going)."""

    def __init__(
        self,
        graph: Graph,
        engine: ContainerEngine,
        places: Mapping[str, Sequence[Place]],
        retry: RetryPolicy,
    ) -> None:
        self._graph, self._engine, self._retry = graph, engine, retry
        self._places = places
        # image -> the keys of its variants in the run's graph, in the order its index lists them
        self._variant_keys: dict[str, list[str]] = {}
        for key, node in graph.nodes.items():
            if node.platform is not None and node.spec.name in places:
                self._variant_keys.setdefault(node.spec.name, []).append(key)
        self._finished: dict[str, ImageResult] = {}
        self._staged: dict[_Key, Future[PushedIndex | None]] = {}
        self._clients: dict[str, RegistryClient] = {}
        self.ledgers: dict[str, BlobLedger] = {}  # per registry: the publish goes on with them
        self._lock = threading.Lock()
        # One at a time: it runs beside the builds, which want the machine more.
        self._workers = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stage")

    @property
    def wanted(self) -> bool:
        return bool(self._variant_keys)

    def listening(self, emit: Emit) -> Emit:
        """`emit`, also telling this staging of every image that finishes."""

        def forward(event: Event) -> None:
            emit(event)
            if isinstance(event, ImageFinished):
                self._heard(event.result)

        return forward

    def take(
        self, registry: str, repository: str, variants: Sequence[Variant]
    ) -> PushedIndex | None:
        """What was staged for these variants there; None when nothing was (or it failed)."""
        with self._lock:
            staged = self._staged.get((registry, repository, tuple(variants)))
        return staged.result() if staged is not None else None

    def close(self) -> None:
        self._workers.shutdown(wait=True, cancel_futures=True)
        for client in self._clients.values():
            client.close()

    def _heard(self, result: ImageResult) -> None:
        node = self._graph.nodes.get(result.name)
        if node is None or node.spec.name not in self._variant_keys:
            return
        image = node.spec.name
        with self._lock:
            self._finished[result.name] = result
            results = [self._finished.get(key) for key in self._variant_keys[image]]
            if any(done is None or not done.image_id for done in results):
                return  # variants still to come, or one failed: the publish will not run
            # All skipped: built by an earlier run, most likely published by it too. The
            # publish checks; staging would only read what it reads.
            if not any(done is not None and done.status is Status.BUILT for done in results):
                return
            variants: list[Variant] = []
            for key, done in zip(self._variant_keys[image], results, strict=True):
                platform = self._graph.nodes[key].platform
                assert platform is not None and done is not None and done.image_id
                variants.append((platform, done.image_id))
            for registry, repository, tag in self._places[image]:
                staged: _Key = (registry, repository, tuple(variants))
                if staged not in self._staged:
                    self._staged[staged] = self._workers.submit(self._stage, staged, tag)

    def _stage(self, staged: _Key, tag: str) -> PushedIndex | None:
        registry, repository, variants = staged
        try:
            client = self._client(registry)
            current = client.get_manifest(repository, tag)
            if current is not None and matches_variants(client, repository, current, variants):
                return None  # in place already: the publish sees it so
            ledger = self.ledgers.setdefault(registry, BlobLedger())
            return push_index(self._engine, client, repository, variants, ledger=ledger)
        except ImgbuildError:
            return None  # the publish does it again, and says what fails

    def _client(self, registry: str) -> RegistryClient:
        with self._lock:
            if registry not in self._clients:
                self._clients[registry] = RegistryClient.for_registry(registry, self._retry)
            return self._clients[registry]
