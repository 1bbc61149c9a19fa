"""Planning a build or a publish imports no heavy client: a no-op `imgbuild build` reads the
engine over its unix socket with the standard library, and the registry client speaks HTTP with
it too (builder.registry_http), so requests, urllib3 and the Docker SDK (about 0.1 s each) stay
unloaded; credentials are looked up (keyring) only when a registry asks for them, and the
signing code (cryptography) only when there is a key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_HEAVY = ("requests", "urllib3", "docker", "keyring", "cryptography")


def imported_by(modules: str) -> set[str]:
    code = f"import json, sys\nimport {modules}\nprint(json.dumps(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout))


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in _HEAVY)


def test_planning_and_running_a_build_import_no_http_client() -> None:
    modules = imported_by(
        "builder.build, builder.plan, builder.worker, builder.scheduler, builder.variants"
    )
    assert heavy(modules) == []
    assert "builder.registry" not in modules and "builder.remote_cache" not in modules


@pytest.mark.parametrize(
    "modules",
    [
        "builder.release, builder.publish, builder.publish_plan, builder.registry",
        "builder.remote_cache, builder.registry_copy, builder.promote, builder.supply.options",
        "builder.cli.publish, builder.cli.build",
    ],
)
def test_publishing_imports_no_http_library_keyring_or_signing_code(modules: str) -> None:
    found = imported_by(modules)
    assert "builder.registry_http" in found or "builder.cli.publish" in modules
    assert heavy(found) == []
