"""Pushing attachments: one layer added to `sha256-HEX.SUFFIX`, unless one like it is there;
on a registry that offers the OCI referrers API, also an artifact whose `subject` is the digest.

Like `cosign sign`, a new signature is appended to the layers already there (another key's
signature stays). What counts as already there, so a second publish adds nothing:
- sig: a layer with the same payload whose signature verifies with this key;
- att: a DSSE layer of the same predicate type, signed by this key (or unsigned, without one):
  a digest's provenance is the one of the build that made it;
- sbom: an SBOM layer of the same format (media type): SPDX, or CycloneDX.

The referrer (an OCI 1.1 artifact manifest of cosign's artifact type for the suffix, put by
digest) holds the layer that is in the tag, so both name the same signature; it is pushed when
no referrer of that type already holds a layer like it. Where the registry has no referrers
API (it answers 404), nothing with a `subject` is pushed, so the OCI spec's referrers tag
(`sha256-HEX`, an index the client maintains) is not needed: the cosign tags are the fallback.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from builder.oci.documents import OCI_MANIFEST, sha256_digest
from builder.registry import Manifest
from builder.supply.keys import SigningKey, signature_valid
from builder.supply.layout import (
    DSSE,
    EMPTY_CONFIG,
    IN_TOTO,
    PREDICATE_ANNOTATION,
    SIGNATURE_ANNOTATION,
    SIMPLE_SIGNING,
    Layer,
    artifact_type,
    attachment_manifest,
    attachment_tag,
    manifest_layers,
    pae,
    referrer_manifest,
)

if TYPE_CHECKING:
    from builder.registry import RegistryClient


@dataclass(frozen=True)
class Attachment:
    suffix: str  # sig, att, sbom
    layer: Layer
    key: SigningKey | None = None


def attach(
    client: RegistryClient,
    repository: str,
    digest: str,
    item: Attachment,
    referrers: list[dict[str, Any]] | None = None,
) -> bool:
    """Add `item` to the digest's attachment tag, and as a referrer when `referrers` (the
    digest's referrers list) is given: the registry offers the API. False when an equivalent
    one was there in each place."""
    added, layer = _attach_tagged(client, repository, digest, item)
    if referrers is not None:
        added = _attach_referrer(client, repository, digest, item, layer, referrers) or added
    return added


def _attach_tagged(
    client: RegistryClient, repository: str, digest: str, item: Attachment
) -> tuple[bool, dict[str, Any]]:
    """(whether it was added, the descriptor of the layer in the tag that stands for `item`)."""
    tag = attachment_tag(digest, item.suffix)
    now = client.get_manifest(repository, tag)
    existing = manifest_layers(now.body) if now is not None else []
    for descriptor in existing:
        if _covers(client, repository, descriptor, item):
            return False, descriptor
    client.put_blob(repository, item.layer.data)
    config, body = attachment_manifest([*existing, item.layer.descriptor()])
    client.put_blob(repository, config)
    client.put_manifest(repository, tag, Manifest("", OCI_MANIFEST, body))
    return True, item.layer.descriptor()


def _attach_referrer(
    client: RegistryClient,
    repository: str,
    digest: str,
    item: Attachment,
    layer: dict[str, Any],
    referrers: list[dict[str, Any]],
) -> bool:
    kind = artifact_type(item.suffix)
    for entry in referrers:
        if entry.get("artifactType") != kind:
            continue
        manifest = client.get_manifest(repository, str(entry.get("digest")))
        layers = manifest_layers(manifest.body) if manifest is not None else []
        if any(_covers(client, repository, descriptor, item) for descriptor in layers):
            return False
    subject = client.get_manifest(repository, digest)
    if subject is None:
        return False  # nothing to refer to: the caller put it in place just before
    body = referrer_manifest(kind, [layer], subject)
    client.put_blob(repository, EMPTY_CONFIG)
    client.put_manifest(repository, sha256_digest(body), Manifest("", OCI_MANIFEST, body))
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
