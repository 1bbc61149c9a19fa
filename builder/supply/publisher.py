"""What `publish` attaches to each digest it puts in place: the hook `run_publish` calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.files import write_atomically
from builder.supply.attach import Attachment, attach
from builder.supply.layout import (
    Layer,
    attachment_tag,
    attestation_layer,
    signature_layer,
)
from builder.supply.provenance import PREDICATE_TYPE, statement
from builder.supply.sbom import FORMATS

if TYPE_CHECKING:
    from builder.publish_plan import Target
    from builder.registry import RegistryClient
    from builder.supply.keys import SigningKey
    from builder.supply.provenance import BuildFacts


@dataclass(frozen=True)
class SupplyOptions:
    """What publish attaches to each pushed digest, besides the signature a key asks for."""

    key: SigningKey | None = None
    provenance: bool = True  # off (--no-provenance) even with a key, unless provenance_dir
    provenance_dir: Path | None = None
    sbom: bool = False
    sbom_dir: Path | None = None
    sbom_format: str = "spdx"  # a key of builder.supply.sbom.FORMATS

    @property
    def attests(self) -> bool:
        return self.provenance or self.provenance_dir is not None

    @property
    def wanted(self) -> bool:
        return self.attests or self.sbom


class SupplyChain:
    """Signs and attests each digest once per repository; says what it added."""

    def __init__(
        self,
        options: SupplyOptions,
        facts: Callable[[str], BuildFacts],
        on_note: Callable[[str], None],
        sbom: Callable[[str], bytes] = lambda image: b"",
    ) -> None:
        self.options = options
        self.facts = facts
        self.on_note = on_note
        self.sbom = sbom  # the image's SPDX document (scanned once per image)

    def __call__(self, target: Target, digest: str, client: RegistryClient) -> None:
        key = self.options.key
        if key is not None:
            layer = signature_layer(target.name, digest, key)
            added = attach(client, target.repository, digest, Attachment("sig", layer, key))
            self._note("signed", target, digest, added)
        if self.options.attests:
            document = statement(self.facts(target.image), target.name, digest)
            layer = attestation_layer(document, PREDICATE_TYPE, key)
            if self.options.provenance_dir is not None:
                name = f"{target.image}.{attachment_tag(digest, 'intoto.json')}"
                write_atomically(self.options.provenance_dir / name, layer.data)
            added = attach(client, target.repository, digest, Attachment("att", layer, key))
            self._note("attested", target, digest, added)
        if self.options.sbom:
            document = self.sbom(target.image)
            form = FORMATS[self.options.sbom_format]
            if self.options.sbom_dir is not None:
                write_atomically(self.options.sbom_dir / f"{target.image}.{form.suffix}", document)
            layer = Layer(form.media_type, document)
            added = attach(client, target.repository, digest, Attachment("sbom", layer))
            self._note("sbom", target, digest, added)

    def _note(self, what: str, target: Target, digest: str, added: bool) -> None:
        state = what if added else f"{what} already"
        self.on_note(f"{state:<10} {target.name}@{digest}")
