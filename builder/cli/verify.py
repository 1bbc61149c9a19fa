"""`imgbuild verify REF --key KEY.pub`: a published image's signature, provenance and SBOM."""

from __future__ import annotations

import json
from pathlib import Path

import click

from builder.cli.options import options
from builder.errors import ExitCode


@click.command()
@click.argument("reference")
@options("verify.key", "verify.format")
def verify(reference: str, key: Path, output_format: str) -> int:
    """Check REFERENCE's cosign signature (sha256-HEX.sig) with the public KEY.

    Shows its provenance (commit, bases, builder) and an SBOM summary when attached. An index
    is checked at its digest and at each platform's. Exit 1 when a signature is missing or
    does not verify, naming which (and the platform).
    """
    from builder.supply.keys import load_public_key
    from builder.supply.verify import verify_image

    result = verify_image(reference, load_public_key(key))
    if output_format == "json":
        click.echo(json.dumps(result.document(), indent=2))
    else:
        click.echo("\n".join(result.lines()), err=not result.ok)
    return int(ExitCode.OK if result.ok else ExitCode.FAILURE)
