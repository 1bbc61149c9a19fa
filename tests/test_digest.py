from __future__ import annotations

import os
import time
from pathlib import Path

from builder.digest import StatCache, snapshot_context
from builder.dockerignore import DockerIgnore


def make_context(root: Path) -> None:
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("print('hi')\n")
    (root / "notes.md").write_text("notes\n")
    (root / ".dockerignore").write_text("*.md\n")


def snapshot(root: Path, cache_dir: Path):  # type: ignore[no-untyped-def]
    return snapshot_context(root, DockerIgnore.for_context(root), StatCache(root, cache_dir))


def test_digest_covers_content_mode_and_paths_but_not_ignored_files(tmp_path: Path) -> None:
    root, cache = tmp_path / "ctx", tmp_path / "cache"
    make_context(root)
    first = snapshot(root, cache)
    assert [entry.path for entry in first.entries] == [".dockerignore", "src", "src/app.py"]
    (root / "notes.md").write_text("changed, but ignored\n")
    assert snapshot(root, cache).digest == first.digest
    (root / "src" / "app.py").chmod(0o755)
    assert snapshot(root, cache).digest != first.digest


def test_stat_cache_reuses_hashes_and_notices_changes(tmp_path: Path) -> None:
    root, cache = tmp_path / "ctx", tmp_path / "cache"
    make_context(root)
    old = time.time() - 60
    os.utime(root / "src" / "app.py", (old, old))
    first = snapshot(root, cache)
    assert list(cache.glob("*.json")), "the stat cache was not written"
    # Same size and (restored) mtime but different content: git's index would miss it too;
    # a changed inode or ctime is what betrays it, and the cache keys on both.
    (root / "src" / "app.py").write_text("print('ho')\n")
    os.utime(root / "src" / "app.py", (old, old))
    assert snapshot(root, cache).digest != first.digest


def test_recently_modified_files_are_not_trusted_from_the_cache(tmp_path: Path) -> None:
    root, cache = tmp_path / "ctx", tmp_path / "cache"
    make_context(root)
    stat_cache = StatCache(root, cache)
    snapshot_context(root, DockerIgnore.for_context(root), stat_cache)
    # app.py was written just now: racily clean, so it must not be in the cache.
    assert "src/app.py" not in stat_cache._entries
