"""Which platforms a registry serves under a ref: the check before a multi-platform build that
an outside base the engine does not hold for a platform can be pulled for it.

One manifest request (and, for a single-image manifest, its small config blob), with the same
credentials as publish. Any failure is an answer too (why it could not say), never an exception:
the caller turns it into the one error that names the image, the base and the platform.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from builder.errors import ImgbuildError
from builder.platforms import Platform, engine_platform
from builder.refs import split_ref, split_registry
from builder.retry import RetryPolicy

_INDEXES = (
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
)
# A base that cannot be asked quickly is reported, not waited for: the build would fail too.
_ONE_TRY = RetryPolicy(attempts=1, timeout=10.0)


@cache
def served_platforms(ref: str) -> tuple[Platform, ...] | str:
    """The platforms `ref`'s registry serves for it, or why it could not say."""
    from builder.credentials import find_credentials
    from builder.registry import RegistryClient

    parsed = split_ref(ref)
    host, path = split_registry(parsed.repository)
    reference = parsed.digest or parsed.tag_or_latest
    try:
        lookup = find_credentials(host)
        with RegistryClient(host, lookup.credentials, _ONE_TRY, lookup.notes) as client:
            manifest = client.get_manifest(path, reference)
            if manifest is None:
                return f"{host} has no {path}:{reference}"
            document = json.loads(manifest.body)
            if manifest.media_type in _INDEXES or "manifests" in document:
                return tuple(_listed(document))
            config = client.get_blob(path, str(document["config"]["digest"]))
    except (ImgbuildError, ValueError, KeyError, TypeError) as error:
        return f"{host} could not be asked ({error})"
    if config is None:
        return f"{host} has no config blob for {ref}"
    try:
        image = json.loads(config)
        return (engine_platform(image.get("os", ""), image.get("architecture", "")),)
    except (ValueError, AttributeError):
        return f"{host} served an unreadable config for {ref}"


def _listed(index: Any) -> list[Platform]:
    """The platforms of an index's entries (attestation entries say `unknown/unknown`)."""
    found = []
    for entry in index.get("manifests") or []:
        described = entry.get("platform") or {}
        os_name, architecture = described.get("os", ""), described.get("architecture", "")
        if architecture and architecture != "unknown":
            found.append(engine_platform(os_name, architecture, described.get("variant", "")))
    return found
