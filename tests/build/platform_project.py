"""A base and a dependent built for linux/amd64 and linux/arm64, for the real-parts tests."""

from __future__ import annotations

from pathlib import Path

from tests.build.helpers import write_project

BOTH = '["linux/amd64", "linux/arm64"]'


def two_platform_project(root: Path, prefix: str, base_from: str = "local/busybox:1") -> Path:
    """`base` (tag dev, FROM `base_from`) and `app` FROM it, both for amd64 and arm64: each
    records `uname -m` (app also what its base recorded)."""
    config = f"""\
[build]
platforms = {BOTH}

[images.base]
context = "base"
repository = "{prefix}/base"
tags = ["dev"]

[images.app]
context = "app"
repository = "{prefix}/app"
"""
    files = {
        "base/Dockerfile": f"FROM {base_from}\nRUN uname -m > /base-arch\n",
        "app/Dockerfile": (
            f"FROM {prefix}/base:dev\nRUN cat /base-arch > /seen && uname -m > /app-arch\n"
        ),
    }
    return write_project(root, config, files)
