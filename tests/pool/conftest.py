"""Three real Docker engines of our own for the pool tests (see engines.py), started once per
session under a short temporary folder and stopped by pid at its end."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from realparts import BUSYBOX_IMAGE, busybox_rootfs, unavailable

from tests.pool.engines import EngineSet, start_engines


@pytest.fixture(scope="session")
def engine_set() -> Iterator[EngineSet]:
    if shutil.which("dockerd") is None:
        unavailable("dockerd is not installed (apt docker.io; scripts/install.sh)")
    if os.geteuid() != 0:
        unavailable("starting our own dockerd needs root")
    busybox = Path("/bin/busybox")
    if not busybox.is_file():
        unavailable(f"{busybox} is missing (apt busybox-static)")
    # Short: containerd's socket inside each exec-root must stay under 107 bytes.
    base = Path(tempfile.mkdtemp(prefix="ibp-", dir="/tmp"))
    try:
        engines = start_engines(base, ("e1", "e2", "e3"), busybox_rootfs(busybox), BUSYBOX_IMAGE)
        try:
            yield engines
        finally:
            engines.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pool_engines(engine_set: EngineSet) -> EngineSet:
    """The three engines, each answering (one a test killed is started again)."""
    engine_set.ensure_up()
    return engine_set
