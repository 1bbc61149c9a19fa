"""Input digests: one hash over everything that decides an image's result.

The build context is walked once per run (after .dockerignore) into a `ContextSnapshot`, which
both the digest and the tar sent to the engine (`builder.context`) use, so the digest covers
exactly what is built.
File contents are hashed only when their stat changed since the last run: a stat cache per
context, kept like git's index (size, mtime, inode, mode), makes a no-op run cost a walk and
a stat per file instead of reading the whole context.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from builder.dockerignore import DockerIgnore
from builder.files import write_atomically

DIGEST_VERSION = "imgbuild-input-v1"
# Files modified this close to the scan may change again within the same mtime tick; like git's
# "racily clean" entries, they are not trusted from the cache next time.
_RACY_SECONDS = 2.0


@dataclass(frozen=True)
class FileEntry:
    path: str  # context-relative, posix separators
    mode: int
    size: int
    sha256: str  # of the content, or of the link target for symlinks
    is_dir: bool = False
    link_target: str | None = None


@dataclass(frozen=True)
class ContextSnapshot:
    root: Path
    entries: tuple[FileEntry, ...]
    digest: str


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "imgbuild"


class StatCache:
    """Content hashes keyed by path and stat, persisted per context directory."""

    def __init__(self, root: Path, directory: Path | None = None) -> None:
        key = hashlib.sha256(str(root).encode()).hexdigest()[:24]
        self.file = (directory or cache_dir() / "stat") / f"{key}.json"
        self._entries: dict[str, list[int | str]] = {}
        self._dirty = False
        try:
            loaded = json.loads(self.file.read_text())
            if isinstance(loaded, dict) and loaded.get("root") == str(root):
                self._entries = loaded.get("entries", {})
        except (OSError, ValueError):
            pass
        self._root = root
        self._started = time.time()

    def hash_file(self, relative: str, full: str, info: os.stat_result) -> str:
        signature = [info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode, info.st_ctime_ns]
        cached = self._entries.get(relative)
        if cached is not None and cached[:5] == signature:
            return str(cached[5])
        digest = _hash_content(full)
        if info.st_mtime < self._started - _RACY_SECONDS:
            self._entries[relative] = [*signature, digest]
            self._dirty = True
        return digest

    def save(self, seen: Iterable[str]) -> None:
        kept = set(seen)
        if set(self._entries) - kept:
            self._entries = {k: v for k, v in self._entries.items() if k in kept}
            self._dirty = True
        if not self._dirty:
            return
        payload = json.dumps({"root": str(self._root), "entries": self._entries})
        # Parallel builds sharing a context must never read half a file.
        write_atomically(self.file, payload)


def _hash_content(path: str) -> str:
    hasher = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def snapshot_context(
    root: Path, ignore: DockerIgnore, cache: StatCache | None = None
) -> ContextSnapshot:
    """Walk the context as the engine would receive it and hash it."""
    cache = cache or StatCache(root)
    entries: list[FileEntry] = []
    _walk(root, "", ignore, cache, entries)
    entries.sort(key=lambda entry: entry.path)
    cache.save(entry.path for entry in entries if not entry.is_dir)
    hasher = hashlib.sha256()
    for entry in entries:
        hasher.update(
            f"{entry.path}\0{entry.mode:o}\0{entry.sha256}\0{entry.link_target or ''}\n".encode()
        )
    return ContextSnapshot(root=root, entries=tuple(entries), digest=hasher.hexdigest())


def _walk(
    root: Path, prefix: str, ignore: DockerIgnore, cache: StatCache, out: list[FileEntry]
) -> None:
    directory = os.path.join(root, prefix) if prefix else str(root)
    try:
        scanned = list(os.scandir(directory))
    except OSError:
        return
    for item in scanned:
        relative = f"{prefix}/{item.name}" if prefix else item.name
        ignored = ignore.is_ignored(relative, parents_included=True)
        info = item.stat(follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            if ignored and not ignore.may_contain_included(relative):
                continue
            if not ignored:
                out.append(FileEntry(relative, stat.S_IMODE(info.st_mode), 0, "", is_dir=True))
            _walk(root, relative, ignore, cache, out)
        elif ignored:
            continue
        elif stat.S_ISLNK(info.st_mode):
            target = os.readlink(item.path)
            digest = hashlib.sha256(target.encode()).hexdigest()
            out.append(FileEntry(relative, 0o777, 0, digest, link_target=target))
        elif stat.S_ISREG(info.st_mode):
            digest = cache.hash_file(relative, item.path, info)
            out.append(FileEntry(relative, stat.S_IMODE(info.st_mode), info.st_size, digest))


def input_digest(
    *,
    dockerfile_text: str,
    context_digest: str,
    args: Mapping[str, str],
    target: str | None,
    base_image_ids: Mapping[str, str],
    labels: Mapping[str, str],
    network: str,
    secret_names: Iterable[str] = (),
    platform: str | None = None,
) -> str:
    """The digest of every input that decides the image. Secret values never enter it.

    `platform` is an input only when it was asked for: an image built for the engine's own
    platform, as before platforms existed, keeps the digest it had."""
    document = {
        "version": DIGEST_VERSION,
        "dockerfile": hashlib.sha256(dockerfile_text.encode()).hexdigest(),
        "context": context_digest,
        "args": dict(sorted(args.items())),
        "target": target,
        "bases": dict(sorted(base_image_ids.items())),
        "labels": dict(sorted(labels.items())),
        "network": network,
        "secrets": sorted(secret_names),
    }
    if platform is not None:
        document["platform"] = platform
    encoded = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    return "sha256:" + hashlib.sha256(encoded).hexdigest()
