"""A proposal as commented imgbuild.toml text, checked like any config, then written.

The text is loaded with the config loader and its graph built before anything is written, so
what `init` writes passes `imgbuild graph` and `imgbuild build --print` at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

import tomlkit

from builder.adopt.model import Proposal, ProposedImage, Secret
from builder.adopt.platforms import shared_platforms
from builder.config import CONFIG_NAME
from builder.config.load import load_config
from builder.errors import UsageError
from builder.files import write_atomically
from builder.graph import Graph, build_graph
from builder.toml_edit import NEW_CONFIG_HEADER

_Value = str | list[str] | Mapping[str, "_Value"]


def config_path(root: Path, *, force: bool) -> Path:
    """Where the config goes; an existing one is an error unless `force` (before any work)."""
    path = root / CONFIG_NAME
    if path.exists() and not force:
        raise UsageError(
            f"{CONFIG_NAME} already exists", path=path, hint="pass --force to replace it"
        )
    return path


def render(proposal: Proposal, source: str) -> str:
    """The config text: a header, then each image's table under a comment saying its origin.

    Platforms every image names alike are said once, under `[build]`, as the source's authors
    meant them: the project's platforms, which an image added later gets too."""
    lines = [f"# {NEW_CONFIG_HEADER}", f"# Written by `imgbuild init` from {source}."]
    shared = shared_platforms(proposal.images)
    if shared:
        lines += ["", f"# Every image names these platforms in {source}.", "[build]"]
        lines.append(f"platforms = {_toml([str(p) for p in shared])}")
    for image in proposal.images:
        lines += ["", f"# {image.origin}", f"[images.{image.name}]"]
        for key, value in _entries(image, proposal.root, with_platforms=not shared).items():
            if key == "dockerfile" and image.inline is not None:
                inline = image.inline
                lines.append(f"# {inline.key} ({inline.path}:{inline.line}), written out by init")
            lines.append(f"{tomlkit.key(key).as_string()} = {_toml(value)}")
    return "\n".join(lines) + "\n"


def check(proposal: Proposal, text: str) -> Graph:
    """Load `text` as the config of `proposal.root` would be, and build its graph."""
    return build_graph(load_config(proposal.root / CONFIG_NAME, text=text))


def write(path: Path, text: str) -> None:
    write_atomically(path, text, mode=0o644)


@contextmanager
def inline_dockerfiles(proposal: Proposal) -> Iterator[Callable[[], None]]:
    """Write the Dockerfiles given as text, so the config can be checked and built; they are
    removed again unless the caller keeps them (when it writes the config).

    An existing file with other content is an error before anything is written.
    """
    wanted = [(i.dockerfile, i.inline.text) for i in proposal.images if i.inline is not None]
    for path, text in wanted:
        if path.exists() and path.read_text(encoding="utf-8") != text:
            raise UsageError(
                "already exists with other content", path=path, hint="move it, then run init again"
            )
    created = [path for path, _ in wanted if not path.exists()]
    folders = [p for path in created for p in path.parents if not p.exists()]  # deepest first
    kept = False

    def keep() -> None:
        nonlocal kept
        kept = True

    try:
        for path, text in wanted:
            write_atomically(path, text, mode=0o644)
        yield keep
    finally:
        if not kept:
            for path in created:
                path.unlink(missing_ok=True)
            for folder in folders:
                with suppress(OSError):  # not empty: something else was put there meanwhile
                    folder.rmdir()


def _entries(image: ProposedImage, root: Path, *, with_platforms: bool) -> dict[str, _Value]:
    entries: dict[str, _Value] = {"context": _relative(image.context, root)}
    dockerfile = _relative(image.dockerfile, image.context)
    if dockerfile != "Dockerfile":
        entries["dockerfile"] = dockerfile
    entries["repository"] = image.repository
    if image.tags:
        entries["tags"] = list(image.tags)
    if image.target:
        entries["target"] = image.target
    if image.platforms and with_platforms:
        entries["platforms"] = [str(platform) for platform in image.platforms]
    if image.args:
        entries["args"] = dict(image.args)
    if image.labels:
        entries["labels"] = dict(image.labels)
    if image.secrets:
        entries["secrets"] = {s.name: _secret(s, root) for s in image.secrets}
        entries["builder"] = "buildkit"  # only BuildKit keeps secrets out of the image
    if image.network:
        entries["network"] = image.network
    if image.depends_on:
        entries["depends_on"] = list(image.depends_on)
    return entries


def _secret(secret: Secret, root: Path) -> dict[str, _Value]:
    if secret.file is not None:
        return {"file": _relative(secret.file, root)}
    return {"env": secret.env or secret.name}


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def _toml(value: _Value) -> str:
    if isinstance(value, str):
        return tomlkit.string(value).as_string()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    pairs = ", ".join(f"{tomlkit.key(k).as_string()} = {_toml(v)}" for k, v in value.items())
    return "{ " + pairs + " }" if pairs else "{}"
