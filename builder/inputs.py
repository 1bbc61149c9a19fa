"""An image's inputs: context snapshots, base image IDs and the input digest they make.

The plan uses the `InputResolver` up front (`build --print`), placement and the image worker
again as each image's dependencies finish, since a dependency's image ID is an input of its
dependents and is only known once that dependency is built or found.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from builder.config import ImageSpec
from builder.digest import ContextSnapshot, StatCache, input_digest, snapshot_context
from builder.dockerignore import DockerIgnore
from builder.graph import ImageNode

MISSING = "missing"  # the ID of a base or dependency no engine has (yet)


class ImageLookup(Protocol):
    def image_id(self, ref: str) -> str | None: ...


def build_labels(spec: ImageSpec) -> dict[str, str]:
    """Labels every build gets; part of the input digest (the digest label itself is not).

    The classic builder turns each label into a step of its own, so only labels that carry
    information are added.
    """
    return dict(spec.labels)


class InputResolver:
    """Snapshots contexts and resolves base image IDs once per run; thread-safe.

    A base's ID is what its ref names on the first engine of the pool that has it: builds on
    other engines get that same image moved to them, so the digest says what is built.
    """

    def __init__(self, lookup: ImageLookup) -> None:
        self.lookup = lookup
        self._snapshots: dict[tuple[Path, Path | None], ContextSnapshot] = {}
        self._bases: dict[str, str] = {}
        self._lock = threading.Lock()

    def snapshot(self, node: ImageNode) -> ContextSnapshot:
        spec = node.spec
        key = (spec.context, spec.dockerfile)
        with self._lock:
            cached = self._snapshots.get(key)
        if cached is not None:
            return cached
        ignore = DockerIgnore.for_context(spec.context)
        snapshot = snapshot_context(spec.context, ignore, StatCache(spec.context))
        with self._lock:
            self._snapshots[key] = snapshot
        return snapshot

    def external_base_id(self, ref: str) -> str:
        """The ID `ref` names, or MISSING."""
        with self._lock:
            known = self._bases.get(ref)
        if known is not None:
            return known
        image_id = self.lookup.image_id(ref) or MISSING
        with self._lock:
            self._bases[ref] = image_id
        return image_id

    def known_base_ids(self, node: ImageNode) -> dict[str, str]:
        """Each external base of `node` that some engine has -> its ID."""
        ids = {ref: self.external_base_id(ref) for ref in node.external_bases}
        return {ref: image_id for ref, image_id in ids.items() if image_id != MISSING}

    def forget_base(self, ref: str) -> None:
        with self._lock:
            self._bases.pop(ref, None)

    def digest(self, node: ImageNode, dependency_ids: Mapping[str, str | None]) -> str:
        """The input digest; a dependency whose ID is None counts as MISSING."""
        spec = node.spec
        bases = {ref: self.external_base_id(ref) for ref in node.external_bases}
        bases.update(
            {f"image:{name}": image_id or MISSING for name, image_id in dependency_ids.items()}
        )
        return input_digest(
            dockerfile_text=node.dockerfile_text,
            context_digest=self.snapshot(node).digest,
            args=spec.args,
            target=spec.target,
            base_image_ids=bases,
            labels=build_labels(spec),
            network=spec.network,
            secret_names=[secret.name for secret in spec.secrets],
            platform=str(node.platform) if node.platform is not None else None,
        )
