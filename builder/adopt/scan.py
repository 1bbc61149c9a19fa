"""`imgbuild init` without `--from`: one image per Dockerfile found below a folder.

The walk finds the names `imgbuild lint` discovers (`builder.lint.discovery`), respecting
`.gitignore`; every Dockerfile it leaves out is listed with the reason: ignored, vendored, a
template, unreadable, or not a Dockerfile (no `FROM`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from builder.adopt.contexts import nearest_context
from builder.adopt.model import Note, Proposal, ProposedImage
from builder.adopt.names import clean_name, repository_for, unique_name
from builder.dockerfile import parse_dockerfile
from builder.lint.discovery import discover, is_dockerfile_name
from builder.refs import parse_ref

VENDORED = frozenset(
    {"node_modules", "vendor", "third_party", "bower_components", ".venv", "venv", "site-packages"}
)
_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".template", ".in", ".erb")


def dockerfiles_below(root: Path) -> Iterator[Path]:
    """Every file with a Dockerfile name below `root`, `.git` aside, in sorted order."""
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != ".git")
        for name in sorted(files):
            if is_dockerfile_name(name):
                yield Path(directory) / name


def has_dockerfiles(root: Path) -> bool:
    """Whether a Dockerfile of the repository's own (not vendored, not hidden) is below `root`."""
    for _, subdirectories, files in os.walk(root):
        subdirectories[:] = [
            d for d in subdirectories if d not in VENDORED and not d.startswith(".")
        ]
        if any(is_dockerfile_name(name) for name in files):
            return True
    return False


def propose_from_dockerfiles(root: Path, prefix: str) -> Proposal:
    root = root.resolve()
    kept = set(discover([root]))
    images: list[ProposedImage] = []
    skipped: list[Note] = []
    unconverted: list[Note] = []
    for path in dockerfiles_below(root):
        reason = _skip_reason(path, root, kept)
        if reason is not None:
            skipped.append(Note(path.relative_to(root), None, reason))
            continue
        dockerfile = parse_dockerfile(path.read_text(encoding="utf-8"), path)
        context, missing = nearest_context(dockerfile, path.parent, root)
        name = unique_name(_candidates(path, root), (image.name for image in images))
        images.append(
            ProposedImage(
                name=name,
                context=context,
                dockerfile=path,
                repository=repository_for(name, prefix),
                origin=f"{path.relative_to(root)}",
            )
        )
        if missing:
            unconverted.append(
                Note(
                    path.relative_to(root),
                    None,
                    f"COPY/ADD sources found in no folder up to {root.name}/: "
                    f"{', '.join(missing)}; context left at its folder",
                )
            )
    unconverted += _prefix_hints(images, root)
    return Proposal(
        root=root, images=tuple(images), skipped=tuple(skipped), unconverted=tuple(unconverted)
    )


def _prefix_hints(images: list[ProposedImage], root: Path) -> list[Note]:
    """A `FROM org/base` where `base` is a proposed image under another repository: the edge
    only exists with the right `--repository-prefix`, so say which."""
    repositories = {image.repository for image in images}
    names = {image.name for image in images}
    hints = []
    for image in images:
        dockerfile = parse_dockerfile(image.dockerfile.read_text(encoding="utf-8"))
        for reference, line in dockerfile.external_images({}):
            ref = parse_ref(reference)
            if ref is None or ref.repository in repositories or "/" not in ref.repository:
                continue
            prefix, _, last = ref.repository.rpartition("/")
            if last in names:
                where = image.dockerfile.relative_to(root)
                hint = f"pass --repository-prefix {prefix}/ to make it an edge"
                hints.append(Note(where, line, f"{reference} looks like image {last}: {hint}"))
    return hints


def _skip_reason(path: Path, root: Path, kept: set[Path]) -> str | None:
    relative = path.relative_to(root)
    vendored = next((part for part in relative.parts[:-1] if part in VENDORED), None)
    if vendored is not None:
        return f"vendored (under {vendored}/)"
    if path not in kept:
        return "ignored by .gitignore"
    if path.name.endswith(_TEMPLATE_SUFFIXES):
        return f"a template ({path.suffix}), not a Dockerfile"
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return f"unreadable ({getattr(error, 'strerror', None) or 'not UTF-8 text'})"
    if not parse_dockerfile(text, path).stages:
        return "unparseable: no FROM instruction"
    return None


def _candidates(path: Path, root: Path) -> list[str]:
    """Names for the image of `path`, best first: its folder (with the suffix of
    `Dockerfile.NAME`, or the stem of `NAME.Dockerfile`), then its whole path."""
    folders = path.parent.relative_to(root).parts or (root.name,)
    file_name = path.name
    if file_name.lower().endswith(".dockerfile"):
        own = file_name[: -len(".dockerfile")]
        return [clean_name(own), clean_name("-".join([*folders, own]))]
    _, dot, suffix = file_name.partition(".")
    words = [folders[-1], suffix] if dot else [folders[-1]]
    whole = [*folders, suffix] if dot else list(folders)
    return [clean_name("-".join(words)), clean_name("-".join(whole))]
