"""What `publish` attaches to each digest it puts in place: the hook `run_publish` calls with
each image's first ref in a repository (`RefResult`: its digest, and each platform's of an
index)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from builder.files import write_atomically
from builder.supply.attach import Attachment, attach
from builder.supply.layout import (
    Layer,
    attachment_tag,
    attestation_layer,
    signature_layer,
)
from builder.supply.options import SupplyOptions
from builder.supply.provenance import PREDICATE_TYPE, statement
from builder.supply.sbom import FORMATS

if TYPE_CHECKING:
    from builder.publish import RefResult
    from builder.publish_plan import Target
    from builder.registry import RegistryClient
    from builder.supply.provenance import BuildFacts


@dataclass(frozen=True)
class _Subject:
    """One digest to attach to: an image's manifest, one platform's, or their index."""

    target: Target
    digest: str
    platform: str | None = None  # of a platform's manifest
    manifests: Mapping[str, str] = field(default_factory=dict)  # of an index: platform -> digest

    @property
    def label(self) -> str:
        """What names it in a file name: the image, and the platform of a platform manifest."""
        image = self.target.image
        return f"{image}.{self.platform.replace('/', '-')}" if self.platform else image


class SupplyChain:
    """Signs and attests each digest once per repository; says what it added.

    An image published as an index of platform manifests has each platform's manifest signed,
    attested (its own build) and given its SBOM, then the index signed and attested (as
    `cosign sign --recursive` signs both); an index has no SBOM of its own (no filesystem).
    `facts` and `sbom` take the image and the platform (None: the image, or its primary
    variant)."""

    def __init__(
        self,
        options: SupplyOptions,
        facts: Callable[[str, str | None], BuildFacts],
        on_note: Callable[[str], None],
        sbom: Callable[[str, str | None], bytes] = lambda image, platform: b"",
    ) -> None:
        self.options = options
        self.facts = facts
        self.on_note = on_note
        self.sbom = sbom  # the variant's SBOM document (scanned once per variant)

    def __call__(self, result: RefResult, client: RegistryClient) -> None:
        if result.digest is None:
            return
        for platform, manifest in result.platforms.items():
            self._attach(_Subject(result.target, manifest, platform), client)
        self._attach(_Subject(result.target, result.digest, manifests=result.platforms), client)

    def _attach(self, subject: _Subject, client: RegistryClient) -> None:
        target, digest, key = subject.target, subject.digest, self.options.key
        # One look at the referrers API per digest: None where the registry has none.
        referrers = client.list_referrers(target.repository, digest)
        if key is not None:
            layer = signature_layer(target.name, digest, key)
            self._put(subject, client, Attachment("sig", layer, key), referrers)
        if self.options.attests:
            facts = self.facts(target.image, subject.platform)
            if subject.manifests:
                facts = facts.for_index()
            document = statement(facts, target.name, digest, subject.manifests or None)
            layer = attestation_layer(document, PREDICATE_TYPE, key)
            if self.options.provenance_dir is not None:
                name = f"{subject.label}.{attachment_tag(digest, 'intoto.json')}"
                write_atomically(self.options.provenance_dir / name, layer.data)
            self._put(subject, client, Attachment("att", layer, key), referrers)
        if self.options.sbom and not subject.manifests:
            document = self.sbom(target.image, subject.platform)
            form = FORMATS[self.options.sbom_format]
            if self.options.sbom_dir is not None:
                write_atomically(self.options.sbom_dir / f"{subject.label}.{form.suffix}", document)
            layer = Layer(form.media_type, document)
            self._put(subject, client, Attachment("sbom", layer), referrers)

    def _put(
        self,
        subject: _Subject,
        client: RegistryClient,
        item: Attachment,
        referrers: list[dict[str, Any]] | None,
    ) -> None:
        target = subject.target
        added = attach(client, target.repository, subject.digest, item, referrers)
        what = _DONE[item.suffix]
        state = what if added else f"{what} already"
        where = f" ({subject.platform})" if subject.platform else ""
        self.on_note(f"{state:<10} {target.name}@{subject.digest}{where}")


_DONE = {"sig": "signed", "att": "attested", "sbom": "sbom"}
