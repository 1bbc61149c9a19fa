"""Which proposal `init` makes: from the Dockerfiles of a folder, a Compose file or a Bake file."""

from __future__ import annotations

import os
from pathlib import Path

from builder.adopt.model import Proposal
from builder.adopt.names import repository_prefix
from builder.adopt.scan import propose_from_dockerfiles


def propose(root: Path, source: Path | None, prefix: str | None) -> tuple[Proposal, str]:
    """The proposal for `root`, and a description of what it was made from."""
    start = repository_prefix(prefix)
    if source is None:
        return propose_from_dockerfiles(root, start), "the Dockerfiles below this folder"
    described = os.path.relpath(source.resolve(), root)
    if "bake" in source.name or source.suffix in (".hcl", ".json"):
        from builder.adopt.bake import propose_from_bake

        return propose_from_bake(source.resolve(), root, start), described
    from builder.adopt.compose import propose_from_compose

    return propose_from_compose(source.resolve(), root, start), described
