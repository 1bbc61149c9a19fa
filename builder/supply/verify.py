"""`imgbuild verify`: check a published image's cosign signature; show its provenance and SBOM.

The signature is valid when one simple-signing layer of `sha256-HEX.sig` has a blob matching its
descriptor digest, a payload naming this very digest, and an annotation signature the public
key accepts. Provenance (`.att`) and the SBOM (`.sbom`) are shown when attached; a provenance
whose envelope is signed must verify with the same key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from builder.credentials import find_credentials, registry_key
from builder.errors import RegistryError, UsageError
from builder.refs import parse_ref, split_registry
from builder.registry import RegistryClient
from builder.supply.keys import signature_valid
from builder.supply.layout import (
    CYCLONEDX_JSON,
    DSSE,
    IN_TOTO,
    SIGNATURE_ANNOTATION,
    SIGNATURE_TYPE,
    SIMPLE_SIGNING,
    SPDX_JSON,
    attachment_tag,
    manifest_layers,
    pae,
)

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey


@dataclass(frozen=True)
class Verification:
    reference: str
    digest: str
    problems: tuple[str, ...]  # empty: a valid signature
    provenance: dict[str, Any] | None = None
    sbom: dict[str, int] | None = field(default=None)  # package count by type

    @property
    def ok(self) -> bool:
        return not self.problems

    def document(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "digest": self.digest,
            "verified": self.ok,
            "problems": list(self.problems),
            "provenance": self.provenance,
            "sbom": self.sbom,
        }

    def lines(self) -> list[str]:
        head = "verified" if self.ok else "NOT verified"
        lines = [f"{head}: {self.reference}@{self.digest}", *(f"  {p}" for p in self.problems)]
        if self.provenance is not None:
            lines.append("provenance: " + _provenance_line(self.provenance))
            lines += [f"  base {base}" for base in self.provenance.get("bases", [])]
        if self.sbom is not None:
            counts = ", ".join(f"{count} {kind}" for kind, count in sorted(self.sbom.items()))
            lines.append(f"sbom: {sum(self.sbom.values())} packages ({counts})")
        return lines


def _provenance_line(summary: dict[str, Any]) -> str:
    dirty = " (dirty)" if summary.get("dirty") else ""
    return (
        f"commit {summary.get('commit')}{dirty}, builder {summary.get('builder')}, "
        f"{summary.get('signature')}"
    )


def verify_image(reference: str, key: EllipticCurvePublicKey) -> Verification:
    parsed = parse_ref(reference)
    if parsed is None:
        raise UsageError(f"{reference!r} is not an image reference")
    host, path = split_registry(parsed.repository)
    lookup = find_credentials(registry_key(host))
    with RegistryClient(registry_key(host), lookup.credentials, notes=lookup.notes) as client:
        manifest = client.get_manifest(path, parsed.digest or parsed.tag_or_latest)
        if manifest is None:
            raise RegistryError(f"{reference} does not exist in the registry")
        digest = parsed.digest or manifest.digest
        problems = _check_signature(client, path, f"{host}/{path}", digest, key)
        provenance = _read_provenance(client, path, digest, key)
        sbom = _read_sbom(client, path, digest)
    signature = (provenance or {}).get("signature", "")
    if "NOT" in signature or "altered" in signature or "unreadable" in signature:
        problems.append(signature)
    return Verification(f"{host}/{path}", digest, tuple(problems), provenance, sbom)


def _layers(client: RegistryClient, path: str, digest: str, suffix: str) -> list[dict[str, Any]]:
    manifest = client.get_manifest(path, attachment_tag(digest, suffix))
    return manifest_layers(manifest.body) if manifest is not None else []


def _blob(client: RegistryClient, path: str, descriptor: dict[str, Any]) -> bytes | None:
    """The layer's blob, None unless it matches its descriptor's digest."""
    blob = client.get_blob(path, str(descriptor.get("digest")))
    if blob is None or "sha256:" + hashlib.sha256(blob).hexdigest() != descriptor.get("digest"):
        return None
    return blob


def _check_signature(
    client: RegistryClient, path: str, name: str, digest: str, key: EllipticCurvePublicKey
) -> list[str]:
    layers = [
        layer
        for layer in _layers(client, path, digest, "sig")
        if layer.get("mediaType") == SIMPLE_SIGNING
    ]
    if not layers:
        return [f"missing signature: {name}:{attachment_tag(digest, 'sig')} has none"]
    problems = []
    for number, layer in enumerate(layers, 1):
        problem = _signature_problem(client, path, digest, key, layer)
        if problem is None:
            return []
        problems.append(f"bad signature (layer {number}): {problem}")
    return problems


def _signature_problem(
    client: RegistryClient,
    path: str,
    digest: str,
    key: EllipticCurvePublicKey,
    layer: dict[str, Any],
) -> str | None:
    blob = _blob(client, path, layer)
    if blob is None:
        return "the payload blob is missing or does not match its digest"
    try:
        critical = json.loads(blob)["critical"]
        named, kind = critical["image"]["docker-manifest-digest"], critical["type"]
    except (ValueError, KeyError, TypeError):
        return "the payload is not a simple-signing document"
    if kind != SIGNATURE_TYPE or named != digest:
        return f"the payload signs {named}, not {digest}"
    annotation = str((layer.get("annotations") or {}).get(SIGNATURE_ANNOTATION, ""))
    if not signature_valid(key, blob, annotation):
        return "the signature does not verify with the key"
    return None


def _read_provenance(
    client: RegistryClient, path: str, digest: str, key: EllipticCurvePublicKey
) -> dict[str, Any] | None:
    from builder.supply.provenance import PREDICATE_TYPE, summarize

    for layer in _layers(client, path, digest, "att"):
        annotations = layer.get("annotations") or {}
        if layer.get("mediaType") != DSSE or annotations.get("predicateType") != PREDICATE_TYPE:
            continue
        blob = _blob(client, path, layer)
        if blob is None:
            return {"signature": "provenance blob missing or altered"}
        try:
            envelope = json.loads(blob)
            statement = base64.b64decode(envelope["payload"])
            signatures = [str(entry["sig"]) for entry in envelope.get("signatures") or []]
            summary = summarize(json.loads(statement))
        except (ValueError, KeyError, TypeError):
            return {"signature": "provenance envelope unreadable"}
        if not signatures:
            summary["signature"] = "provenance unsigned"
        elif any(signature_valid(key, pae(IN_TOTO, statement), sig) for sig in signatures):
            summary["signature"] = "provenance signed by the key"
        else:
            summary["signature"] = "provenance signature does NOT verify"
        return summary
    return None


def _read_sbom(client: RegistryClient, path: str, digest: str) -> dict[str, int] | None:
    """The package count by purl type of the first SBOM attached, SPDX or CycloneDX."""
    for layer in _layers(client, path, digest, "sbom"):
        kind = layer.get("mediaType")
        if kind not in (SPDX_JSON, CYCLONEDX_JSON):
            continue
        blob = _blob(client, path, layer)
        try:
            document = json.loads(blob or b"")
            purls = (
                [_spdx_purl(package) for package in document["packages"]]
                if kind == SPDX_JSON
                else [str(component.get("purl", "")) for component in document["components"]]
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None
        return dict(Counter(_purl_type(purl) for purl in purls))
    return None


def _spdx_purl(package: dict[str, Any]) -> str:
    for ref in package.get("externalRefs") or []:
        if ref.get("referenceType") == "purl":
            return str(ref.get("referenceLocator", ""))
    return ""


def _purl_type(purl: str) -> str:
    """The type of a purl (deb, pypi, ...), else "other"."""
    return purl[4:].split("/", 1)[0] if purl.startswith("pkg:") else "other"
