"""What every Python service of the shop shares: structured logs and the platform release."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

RELEASE_FILE = Path("/etc/shop-release")


def log(event: str, **fields: object) -> None:
    """One JSON object per line on stdout: what the log collector expects."""
    record = {"ts": round(time.time(), 3), "event": event, **fields}
    print(json.dumps(record, sort_keys=True), file=sys.stdout, flush=True)


def release() -> dict[str, str]:
    """The platform release file of shop/base as a dict (empty outside the images)."""
    if not RELEASE_FILE.is_file():
        return {}
    pairs = (line.split("=", 1) for line in RELEASE_FILE.read_text().splitlines() if "=" in line)
    return {key: value.strip('"') for key, value in pairs}
