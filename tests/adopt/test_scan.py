from __future__ import annotations

from pathlib import Path

from builder.adopt.scan import has_dockerfiles, propose_from_dockerfiles
from tests.adopt.helpers import MONOREPO, lay_out


def test_one_image_per_dockerfile_with_names_contexts_and_repositories(tmp_path: Path) -> None:
    root = lay_out(tmp_path / "shop", MONOREPO)
    proposal = propose_from_dockerfiles(root, "org/")
    found = {
        image.name: (
            image.context.relative_to(root).as_posix(),
            image.dockerfile.relative_to(image.context).as_posix(),
            image.repository,
        )
        for image in proposal.images
    }
    assert found == {
        "admin": (".", "admin.Dockerfile", "org/admin"),
        "base": ("platform/base", "Dockerfile", "org/base"),
        "api": (".", "services/api/Dockerfile", "org/api"),
        "worker": ("services/worker", "Dockerfile", "org/worker"),
        "worker-dev": ("services/worker", "Dockerfile.dev", "org/worker-dev"),
        "tools-api": ("tools/api", "Dockerfile", "org/tools-api"),
    }
    assert all(image.target is None for image in proposal.images)


def test_every_dockerfile_left_out_is_listed_with_why(tmp_path: Path) -> None:
    root = lay_out(tmp_path / "shop", MONOREPO)
    skipped = [str(note) for note in propose_from_dockerfiles(root, "").skipped]
    assert skipped == [
        "build/Dockerfile: ignored by .gitignore",
        "docs/Dockerfile.j2: a template (.j2), not a Dockerfile",
        "empty/Dockerfile: unparseable: no FROM instruction",
        "node_modules/pkg/Dockerfile: vendored (under node_modules/)",
    ]


def test_copy_sources_found_nowhere_are_reported(tmp_path: Path) -> None:
    root = lay_out(tmp_path, {"app/Dockerfile": "FROM a:1\nCOPY missing.txt /\n"})
    proposal = propose_from_dockerfiles(root, "")
    assert proposal.images[0].context == root / "app"
    assert [str(n) for n in proposal.unconverted] == [
        f"app/Dockerfile: COPY/ADD sources found in no folder up to {root.name}/: "
        "missing.txt (line 2); context left at its folder"
    ]


def test_has_dockerfiles_skips_vendored_folders(tmp_path: Path) -> None:
    lay_out(tmp_path, {"node_modules/x/Dockerfile": "FROM a\n"})
    assert not has_dockerfiles(tmp_path)
    lay_out(tmp_path, {"svc/Containerfile": "FROM a\n"})
    assert has_dockerfiles(tmp_path)


def test_a_base_named_under_another_prefix_gets_a_hint(tmp_path: Path) -> None:
    root = lay_out(tmp_path / "shop", MONOREPO)
    hints = [str(note) for note in propose_from_dockerfiles(root, "").unconverted]
    assert (
        "services/api/Dockerfile:1: org/base:latest looks like image base: pass --repository-prefix org/ to make it an edge"
        in hints
    )
    assert propose_from_dockerfiles(root, "org/").unconverted == ()
