"""The build path imports no HTTP client: a no-op `imgbuild build` reads the engine over its
unix socket with the standard library, and the remote cache's registry client (requests) is
imported only when an image has a cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_MODULES = (
    "import json, sys\n"
    "import builder.build, builder.plan, builder.worker, builder.scheduler, builder.variants\n"
    "print(json.dumps(sorted(sys.modules)))\n"
)


def test_planning_and_running_a_build_import_no_http_client() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _MODULES],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(json.loads(done.stdout))
    heavy = sorted(
        name
        for name in modules
        if name.split(".")[0] in ("requests", "urllib3", "docker", "keyring")
        or name in ("builder.registry", "builder.remote_cache")
    )
    assert heavy == []
