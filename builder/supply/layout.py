"""The bytes of cosign's layout: tag names, the simple-signing payload, attachment manifests
and DSSE envelopes. Pure functions; pushing them is `builder.supply.attach`."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from builder.oci.documents import OCI_CONFIG, OCI_MANIFEST, compact_json, descriptor, sha256_digest

if TYPE_CHECKING:
    from builder.registry import Manifest
    from builder.supply.keys import SigningKey

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
DSSE = "application/vnd.dsse.envelope.v1+json"
SPDX_JSON = "text/spdx+json"
CYCLONEDX_JSON = "application/vnd.cyclonedx+json"
IN_TOTO = "application/vnd.in-toto+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
PREDICATE_ANNOTATION = "predicateType"
SIGNATURE_TYPE = "cosign container image signature"
# An OCI 1.1 artifact's config when it has none: the empty JSON object, under this media type.
OCI_EMPTY = "application/vnd.oci.empty.v1+json"
EMPTY_CONFIG = b"{}"


@dataclass(frozen=True)
class Layer:
    media_type: str
    data: bytes
    annotations: Mapping[str, str] = field(default_factory=dict)

    @property
    def digest(self) -> str:
        return sha256_digest(self.data)

    def descriptor(self) -> dict[str, Any]:
        return {**descriptor(self.media_type, self.data), "annotations": dict(self.annotations)}


def attachment_tag(digest: str, suffix: str) -> str:
    """`sha256:HEX` -> `sha256-HEX.sig` (suffix sig, att or sbom)."""
    algorithm, _, hex_digest = digest.partition(":")
    return f"{algorithm}-{hex_digest}.{suffix}"


def artifact_type(suffix: str) -> str:
    """The `artifactType` of a referrer holding a sig, att or sbom: the one cosign's OCI 1.1
    mode (`--registry-referrers-mode=oci-1-1`) gives it."""
    return f"application/vnd.dev.cosign.artifact.{suffix}.v1+json"


def simple_signing_payload(repository: str, digest: str) -> bytes:
    """What cosign signs for `repository@digest` (`repository` without tag: HOST/PATH)."""
    return compact_json(
        {
            "critical": {
                "identity": {"docker-reference": repository},
                "image": {"docker-manifest-digest": digest},
                "type": SIGNATURE_TYPE,
            },
            "optional": None,
        }
    )


def signature_layer(repository: str, digest: str, key: SigningKey) -> Layer:
    payload = simple_signing_payload(repository, digest)
    return Layer(SIMPLE_SIGNING, payload, {SIGNATURE_ANNOTATION: key.sign(payload)})


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSE's pre-authentication encoding: what a DSSE signature covers."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def dsse_envelope(statement: bytes, key: SigningKey | None) -> bytes:
    """An in-toto statement in a DSSE envelope; unsigned (no signatures) without a key."""
    signatures = [] if key is None else [{"keyid": "", "sig": key.sign(pae(IN_TOTO, statement))}]
    return compact_json(
        {
            "payloadType": IN_TOTO,
            "payload": base64.b64encode(statement).decode("ascii"),
            "signatures": signatures,
        }
    )


def attestation_layer(statement: bytes, predicate_type: str, key: SigningKey | None) -> Layer:
    # cosign gives attestation layers an empty signature annotation: the signature is inside.
    annotations = {SIGNATURE_ANNOTATION: "", PREDICATE_ANNOTATION: predicate_type}
    return Layer(DSSE, dsse_envelope(statement, key), annotations)


def attachment_manifest(layers: Sequence[Mapping[str, Any]]) -> tuple[bytes, bytes]:
    """(config blob, manifest) of an OCI image of these layer descriptors, as cosign builds one."""
    config = compact_json(
        {
            "architecture": "",
            "os": "",
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": [layer["digest"] for layer in layers]},
        }
    )
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, config),
        "layers": [dict(layer) for layer in layers],
    }
    return config, compact_json(manifest)


def manifest_layers(body: bytes) -> list[dict[str, Any]]:
    """The layer descriptors of a manifest ([] when it is not one)."""
    try:
        document = json.loads(body)
    except json.JSONDecodeError:
        return []
    layers = document.get("layers") if isinstance(document, dict) else None
    return [layer for layer in layers or [] if isinstance(layer, dict)]


def referrer_manifest(kind: str, layers: Sequence[Mapping[str, Any]], subject: Manifest) -> bytes:
    """An OCI 1.1 artifact manifest of these layers whose `subject` is `subject`: what the
    referrers API lists for the subject's digest. The config is the empty one (`EMPTY_CONFIG`)."""
    return compact_json(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": kind,
            "config": descriptor(OCI_EMPTY, EMPTY_CONFIG),
            "layers": [dict(layer) for layer in layers],
            "subject": descriptor(subject.media_type, subject.body),
        }
    )
