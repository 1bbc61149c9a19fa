"""What `publish` is asked to attach: light on purpose, so a publish that signs nothing never
imports the signing code (cryptography) just to say so."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.supply.keys import SigningKey


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
