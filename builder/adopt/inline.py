"""Dockerfiles given as text (Compose's `dockerfile_inline`, Bake's `dockerfile-inline`): an
image of imgbuild needs a file, so each is written to `dockerfiles/NAME.Dockerfile` beside the
config, with the config (see `builder.adopt.write.inline_dockerfiles`).

A file already there with the same text is the one a previous `init` wrote, and is used; one
with other text is never replaced: that image is skipped, saying why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from builder.adopt.model import Note, ProposedImage

INLINE_FOLDER = "dockerfiles"


def place_inline(
    images: Mapping[str, ProposedImage], root: Path
) -> tuple[dict[str, ProposedImage], list[Note], list[Note]]:
    """The images with each inline Dockerfile given its file under `root`, those left out;
    and the notes (where each was written) and skips (which file stood in the way)."""
    placed: dict[str, ProposedImage] = {}
    notes: list[Note] = []
    skipped: list[Note] = []
    for name, image in images.items():
        inline = image.inline
        if inline is None:
            placed[name] = image
            continue
        path = root / INLINE_FOLDER / f"{name}.Dockerfile"
        shown = path.relative_to(root).as_posix()
        where = (inline.path, inline.line)
        if path.is_file() and _text(path) == inline.text:
            notes.append(Note(*where, f"{inline.key}: already in {shown}"))
        elif path.exists():
            reason = f"{shown} exists with other content; move it, then run init again"
            skipped.append(Note(*where, f"{inline.key}: not written: {reason}"))
            continue
        else:
            notes.append(Note(*where, f"{inline.key}: written to {shown}"))
        placed[name] = replace(image, dockerfile=path)
    return placed, notes, skipped


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
