"""`imgbuild promote`: point a tag at what another tag names, registry-side (no pull, no build).

What the tag names is copied as it is: one image's manifest, or a multi-platform image's index
(its platform manifests are in the same repository already, so one PUT moves every platform).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder.config import Config
from builder.credentials import registry_key
from builder.errors import RegistryError, UsageError
from builder.publish_plan import image_locations
from builder.refs import is_valid_tag
from builder.registry import Manifest, RegistryClient
from builder.retry import RetryPolicy


@dataclass(frozen=True)
class Promotion:
    source: str  # REGISTRY/REPOSITORY:FROM
    target: str  # REGISTRY/REPOSITORY:TO
    digest: str


def promote(
    config: Config,
    image: str,
    from_tag: str,
    to_tag: str,
    registries: Sequence[str],
    retry: RetryPolicy | None = None,
) -> list[Promotion]:
    """Point TO_TAG at FROM_TAG's manifest on every registry, registry-side (no pull, no build).

    Every registry is read first: when FROM_TAG is missing anywhere, nothing is changed.
    """
    if image not in config.images:
        raise UsageError(
            f"no image named {image!r} in the config", hint=f"images: {', '.join(config.images)}"
        )
    for tag in (from_tag, to_tag):
        if not is_valid_tag(tag):
            raise UsageError(f"{tag!r} is not a valid tag")
    clients: list[RegistryClient] = []
    found: list[tuple[RegistryClient, str, str, Manifest]] = []
    try:
        for host, path in image_locations(config, image, registries):
            key = registry_key(host)
            client = RegistryClient.for_registry(key, retry)
            clients.append(client)
            manifest = client.get_manifest(path, from_tag)
            if manifest is None:
                raise RegistryError(
                    f"{host}/{path}:{from_tag} does not exist; nothing was promoted",
                    hint="publish it first, or check the tag with `imgbuild tags`",
                )
            found.append((client, host, path, manifest))
        promotions = []
        for client, host, path, manifest in found:
            digest = client.put_manifest(path, to_tag, manifest)
            name = f"{host}/{path}"
            promotions.append(Promotion(f"{name}:{from_tag}", f"{name}:{to_tag}", digest))
        return promotions
    finally:
        for client in clients:
            client.close()
