"""Pushing attachments: one layer added to `sha256-HEX.SUFFIX`, unless one like it is there.

Like `cosign sign`, a new signature is appended to the layers already there (another key's
signature stays). What counts as already there, so a second publish adds nothing:
- sig: a layer with the same payload whose signature verifies with this key;
- att: a DSSE layer of the same predicate type, signed by this key (or unsigned, without one):
  a digest's provenance is the one of the build that made it;
- sbom: an SBOM layer of the same format (media type): SPDX, or CycloneDX.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.oci.documents import OCI_MANIFEST
from builder.registry import Manifest
from builder.supply.keys import SigningKey, signature_valid
from builder.supply.layout import (
    DSSE,
    IN_TOTO,
    PREDICATE_ANNOTATION,
    SIGNATURE_ANNOTATION,
    SIMPLE_SIGNING,
    Layer,
    attachment_manifest,
    attachment_tag,
    manifest_layers,
    pae,
)

if TYPE_CHECKING:
    from builder.registry import RegistryClient


@dataclass(frozen=True)
class Attachment:
    suffix: str  # sig, att, sbom
    layer: Layer
    key: SigningKey | None = None


def attach(client: RegistryClient, repository: str, digest: str, item: Attachment) -> bool:
    """Add `item` to the digest's attachment tag; False when an equivalent one was there."""
    tag = attachment_tag(digest, item.suffix)
    now = client.get_manifest(repository, tag)
    existing = manifest_layers(now.body) if now is not None else []
    for descriptor in existing:
        if _covers(client, repository, descriptor, item):
            return False
    client.put_blob(repository, item.layer.data)
    config, body = attachment_manifest([*existing, item.layer.descriptor()])
    client.put_blob(repository, config)
    client.put_manifest(repository, tag, Manifest("", OCI_MANIFEST, body))
    return True


def _covers(
    client: RegistryClient, repository: str, descriptor: dict[str, Any], item: Attachment
) -> bool:
    if descriptor.get("mediaType") != item.layer.media_type:
        return False
    annotations = descriptor.get("annotations") or {}
    if item.layer.media_type == SIMPLE_SIGNING:
        if descriptor.get("digest") != item.layer.digest or item.key is None:
            return False
        public = item.key.private.public_key()
        return signature_valid(public, item.layer.data, str(annotations.get(SIGNATURE_ANNOTATION)))
    if item.layer.media_type == DSSE:
        wanted = item.layer.annotations.get(PREDICATE_ANNOTATION)
        if annotations.get(PREDICATE_ANNOTATION) != wanted:
            return False
        blob = client.get_blob(repository, str(descriptor.get("digest")))
        return blob is not None and _signed_by(blob, item.key)
    return True


def _signed_by(envelope: bytes, key: SigningKey | None) -> bool:
    """Whether the DSSE envelope carries a valid signature of `key` (none, for no key)."""
    try:
        document = json.loads(envelope)
        statement = base64.b64decode(document["payload"])
        signatures = [str(entry["sig"]) for entry in document.get("signatures") or []]
    except (ValueError, KeyError, TypeError):
        return False
    if key is None:
        return not signatures
    public = key.private.public_key()
    return any(signature_valid(public, pae(IN_TOTO, statement), sig) for sig in signatures)
