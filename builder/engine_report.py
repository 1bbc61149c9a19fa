"""`imgbuild engines`: every engine of the pool, its health, figures and what it can build."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from builder.errors import EngineError
from builder.platforms import BuildPlatforms
from builder.pool import Member, Pool


@dataclass(frozen=True)
class EngineReport:
    """One engine of the pool as `imgbuild engines` lists it; figures are None when unknown."""

    name: str
    url: str
    jobs: int | None
    up: bool
    reason: str | None = None  # why it is down
    version: str | None = None
    api_version: str | None = None
    architecture: str | None = None
    free_disk: int | None = None  # bytes free under the engine's data root
    images: int | None = None
    images_size: int | None = None  # bytes of image layers on disk
    platforms: BuildPlatforms | None = None


def engine_reports(pool: Pool) -> list[EngineReport]:
    """Every engine's health and figures, asked of all engines at once."""
    with ThreadPoolExecutor(max_workers=min(16, len(pool.members))) as workers:
        return list(workers.map(_report, pool.members))


def _report(member: Member) -> EngineReport:
    reason = member.engine.ping()
    if reason is not None:
        return EngineReport(member.name, member.url, member.jobs, up=False, reason=reason)
    try:
        status = member.engine.status()
    except EngineError as error:
        return EngineReport(member.name, member.url, member.jobs, up=False, reason=error.message)
    return EngineReport(
        member.name,
        member.url,
        member.jobs,
        up=True,
        version=status.version,
        api_version=status.api_version,
        architecture=status.architecture,
        free_disk=_free_disk(member.url, status.root_dir),
        images=status.images,
        images_size=status.images_size,
        platforms=member.build_platforms(),
    )


def _free_disk(url: str, root_dir: str) -> int | None:
    """Free bytes under a local engine's data root; the Engine API itself does not say."""
    if not url.startswith("unix://") or not root_dir:
        return None
    try:
        stat = os.statvfs(root_dir)
    except OSError:
        return None  # another mount namespace, or no permission: not ours to know
    return stat.f_bavail * stat.f_frsize
