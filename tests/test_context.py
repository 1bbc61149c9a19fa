"""The context tar: exactly the files of the snapshot the digest was computed from."""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

from builder.context import DOCKERFILE_NAME, context_tar
from builder.digest import StatCache, snapshot_context
from builder.dockerignore import DockerIgnore
from builder.engine.operations import Engine
from builder.errors import BuildError
from builder.records import BuildRequest


def snapshot(root: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return snapshot_context(root, DockerIgnore.for_context(root), StatCache(root, tmp_path / "c"))


@pytest.fixture
def context(tmp_path: Path) -> Path:
    root = tmp_path / "ctx"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text("print('hi')\n")
    (root / "src" / "run.sh").write_text("#!/bin/sh\n")
    (root / "src" / "run.sh").chmod(0o755)
    (root / "notes.md").write_text("ignored\n")
    (root / ".dockerignore").write_text("*.md\n")
    os.symlink("src/app.py", root / "link.py")
    return root


def test_the_tar_holds_the_snapshot_s_files_and_the_dockerfile_under_a_private_name(
    context: Path, tmp_path: Path
) -> None:
    snap = snapshot(context, tmp_path)
    with context_tar(snap, "FROM scratch\n") as spool, tarfile.open(fileobj=spool) as archive:
        names = archive.getnames()
        files = {name: archive.extractfile(name) for name in names}
        assert sorted(names) == sorted(
            [e.path for e in snap.entries if e.path != ".dockerignore"]
            + [DOCKERFILE_NAME, ".dockerignore"]
        )
        assert "notes.md" not in names
        dockerfile = files[DOCKERFILE_NAME]
        assert dockerfile is not None and dockerfile.read() == b"FROM scratch\n"
        app = files["src/app.py"]
        assert app is not None and app.read() == b"print('hi')\n"
        assert archive.getmember("src/run.sh").mode & 0o777 == 0o755
        link = archive.getmember("link.py")
        assert link.issym() and link.linkname == "src/app.py"
        assert {(m.uid, m.gid, m.uname, m.gname) for m in archive.getmembers()} == {(0, 0, "", "")}


def test_the_dockerignore_sent_keeps_the_context_s_patterns_and_drops_the_dockerfile(
    context: Path, tmp_path: Path
) -> None:
    spool = context_tar(snapshot(context, tmp_path), "FROM scratch\n")
    with spool, tarfile.open(fileobj=spool) as archive:
        ignore = archive.extractfile(".dockerignore")
        assert ignore is not None
        assert ignore.read().decode().splitlines() == ["*.md", DOCKERFILE_NAME, ".dockerignore"]


def test_a_context_without_a_dockerignore_gets_one_for_the_dockerfile(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    root.mkdir()
    (root / "a").write_text("a")
    spool = context_tar(snapshot(root, tmp_path), "FROM scratch\n")
    with spool, tarfile.open(fileobj=spool) as archive:
        ignore = archive.extractfile(".dockerignore")
        assert ignore is not None
        assert ignore.read().decode() == f"{DOCKERFILE_NAME}\n.dockerignore\n"


def test_a_file_added_after_the_walk_is_not_sent(context: Path, tmp_path: Path) -> None:
    snap = snapshot(context, tmp_path)
    (context / "src" / "late.py").write_text("not in the digest\n")
    with context_tar(snap, "FROM scratch\n") as spool, tarfile.open(fileobj=spool) as archive:
        assert "src/late.py" not in archive.getnames()


def test_a_file_gone_since_the_walk_fails_the_build_not_the_run(
    context: Path, tmp_path: Path
) -> None:
    snap = snapshot(context, tmp_path)
    (context / "src" / "app.py").unlink()
    with pytest.raises(OSError):
        context_tar(snap, "FROM scratch\n")
    request = BuildRequest(
        name="app",
        dockerfile_text="FROM scratch\n",
        context=snap,
        args={},
        target=None,
        network="none",
    )
    with pytest.raises(BuildError, match=r"packing the build context: .*app\.py"):
        Engine(f"unix://{tmp_path / 'no-engine.sock'}").build(request, lambda output: None)
