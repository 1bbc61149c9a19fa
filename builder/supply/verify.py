"""`imgbuild verify`: check a published image's cosign signature; show its provenance and SBOM.

The signature is valid when one simple-signing layer of `sha256-HEX.sig` has a blob matching its
descriptor digest, a payload naming this very digest, and an annotation signature the public
key accepts. Provenance (`.att`) and the SBOM (`.sbom`) are shown when attached; a provenance
whose envelope is signed must verify with the same key. Layers are read from the cosign tags,
and from the referrers of cosign's artifact types where the registry offers the referrers API.

An index is verified at its own digest and at each platform manifest it names: each must be
signed, and a problem names the platform (`linux/arm64: missing signature: ...`).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from builder.credentials import registry_key
from builder.errors import RegistryError, UsageError
from builder.oci.documents import index_entries
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
    artifact_type,
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
    platform: str | None = None  # of one platform's manifest in an index
    platforms: tuple[Verification, ...] = ()  # of an index: each platform's manifest

    @property
    def ok(self) -> bool:
        return not self.problems and all(each.ok for each in self.platforms)

    def document(self) -> dict[str, Any]:
        # A platform's entry is named by its platform; the reference is the index's.
        named = {"platform": self.platform} if self.platform else {"reference": self.reference}
        document: dict[str, Any] = {
            **named,
            "digest": self.digest,
            "verified": self.ok,
            "problems": list(self.problems),
            "provenance": self.provenance,
            "sbom": self.sbom,
        }
        if self.platforms:
            document["platforms"] = [each.document() for each in self.platforms]
        return document

    def lines(self) -> list[str]:
        failing = [str(each.platform) for each in self.platforms if not each.ok]
        head = "verified" if self.ok else "NOT verified"
        tail = f" (platforms not verified: {', '.join(failing)})" if failing else ""
        lines = [f"{head}: {self.reference}@{self.digest}{tail}"]
        lines += [f"  {problem}" for problem in self.problems] + self._details("")
        for each in self.platforms:
            state = "verified" if each.ok else "NOT verified"
            lines.append(f"{each.platform}: {state} {each.digest}")
            lines += [f"  {each.platform}: {problem}" for problem in each.problems]
            lines += each._details("  ")
        return lines

    def _details(self, indent: str) -> list[str]:
        lines = []
        if self.provenance is not None:
            lines.append(f"{indent}provenance: " + _provenance_line(self.provenance))
            lines += [f"{indent}  base {base}" for base in self.provenance.get("bases", [])]
        if self.sbom is not None:
            counts = ", ".join(f"{count} {kind}" for kind, count in sorted(self.sbom.items()))
            lines.append(f"{indent}sbom: {sum(self.sbom.values())} packages ({counts})")
        return lines


def _provenance_line(summary: dict[str, Any]) -> str:
    dirty = " (dirty)" if summary.get("dirty") else ""
    return (
        f"commit {summary.get('commit')}{dirty}, builder {summary.get('builder')}, "
        f"{summary.get('signature')}"
    )


def verify_image(reference: str, key: EllipticCurvePublicKey) -> Verification:
    """The signature, provenance and SBOM of the digest `reference` names; of an index, also
    of each platform manifest it names."""
    parsed = parse_ref(reference)
    if parsed is None:
        raise UsageError(f"{reference!r} is not an image reference")
    host, path = split_registry(parsed.repository)
    with RegistryClient.for_registry(registry_key(host)) as client:
        manifest = client.get_manifest(path, parsed.digest or parsed.tag_or_latest)
        if manifest is None:
            raise RegistryError(f"{reference} does not exist in the registry")
        place = _Place(client, path, f"{host}/{path}", key)
        found = place.verify(parsed.digest or manifest.digest)
        entries = [
            entry for entry in index_entries(manifest) or () if entry.platform.os != "unknown"
        ]
        platforms = tuple(
            replace(place.verify(entry.digest), platform=str(entry.platform)) for entry in entries
        )
    return replace(found, platforms=platforms)


@dataclass(frozen=True)
class _Place:
    """One repository of a registry, where a digest's attachments are read."""

    client: RegistryClient
    path: str
    name: str  # HOST/PATH
    key: EllipticCurvePublicKey

    def verify(self, digest: str) -> Verification:
        # Attachments in the tag schema, and referrers where the registry offers the API.
        referrers = self.client.list_referrers(self.path, digest)
        problems = self._check_signature(digest, referrers)
        provenance = _read_provenance(self, self._layers(digest, "att", referrers))
        sbom = _read_sbom(self, self._layers(digest, "sbom", referrers))
        signature = (provenance or {}).get("signature", "")
        if "NOT" in signature or "altered" in signature or "unreadable" in signature:
            problems.append(signature)
        return Verification(self.name, digest, tuple(problems), provenance, sbom)

    def _layers(
        self, digest: str, suffix: str, referrers: list[dict[str, Any]] | None
    ) -> list[dict[str, Any]]:
        """The layers of `sha256-HEX.SUFFIX`, then of the referrers of cosign's artifact type
        for `suffix`, each once."""
        manifests = [self.client.get_manifest(self.path, attachment_tag(digest, suffix))]
        for entry in referrers or []:
            if entry.get("artifactType") == artifact_type(suffix):
                manifests.append(self.client.get_manifest(self.path, str(entry.get("digest"))))
        layers: dict[str, dict[str, Any]] = {}
        for manifest in manifests:
            for layer in manifest_layers(manifest.body) if manifest is not None else []:
                layers.setdefault(json.dumps(layer, sort_keys=True), layer)
        return list(layers.values())

    def blob(self, descriptor: dict[str, Any]) -> bytes | None:
        """The layer's blob, None unless it matches its descriptor's digest."""
        blob = self.client.get_blob(self.path, str(descriptor.get("digest")))
        if blob is None or "sha256:" + hashlib.sha256(blob).hexdigest() != descriptor.get("digest"):
            return None
        return blob

    def _check_signature(self, digest: str, referrers: list[dict[str, Any]] | None) -> list[str]:
        layers = [
            layer
            for layer in self._layers(digest, "sig", referrers)
            if layer.get("mediaType") == SIMPLE_SIGNING
        ]
        if not layers:
            return [f"missing signature: {self.name}:{attachment_tag(digest, 'sig')} has none"]
        problems = []
        for number, layer in enumerate(layers, 1):
            problem = self._signature_problem(digest, layer)
            if problem is None:
                return []
            problems.append(f"bad signature (layer {number}): {problem}")
        return problems

    def _signature_problem(self, digest: str, layer: dict[str, Any]) -> str | None:
        blob = self.blob(layer)
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
        if not signature_valid(self.key, blob, annotation):
            return "the signature does not verify with the key"
        return None


def _read_provenance(place: _Place, layers: list[dict[str, Any]]) -> dict[str, Any] | None:
    from builder.supply.provenance import PREDICATE_TYPE, summarize

    for layer in layers:
        annotations = layer.get("annotations") or {}
        if layer.get("mediaType") != DSSE or annotations.get("predicateType") != PREDICATE_TYPE:
            continue
        blob = place.blob(layer)
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
        elif any(signature_valid(place.key, pae(IN_TOTO, statement), sig) for sig in signatures):
            summary["signature"] = "provenance signed by the key"
        else:
            summary["signature"] = "provenance signature does NOT verify"
        return summary
    return None


def _read_sbom(place: _Place, layers: list[dict[str, Any]]) -> dict[str, int] | None:
    """The package count by purl type of the first SBOM attached, SPDX or CycloneDX."""
    for layer in layers:
        kind = layer.get("mediaType")
        if kind not in (SPDX_JSON, CYCLONEDX_JSON):
            continue
        blob = place.blob(layer)
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
