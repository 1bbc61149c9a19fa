"""The records of a proposal: the images to write, and what was skipped or not converted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from builder.platforms import Platform


@dataclass(frozen=True)
class Note:
    """Something the user must know about a file the proposal read: skipped, not converted."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


def _empty() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Secret:
    """A build secret as imgbuild reads it: from a file or from an environment variable."""

    name: str
    file: Path | None = None
    env: str | None = None


@dataclass(frozen=True)
class InlineDockerfile:
    """A Dockerfile given as text in the source file, where `key` says it (for the notes and
    the config's comment). Two builds with the same text are the same: the rest is not
    compared."""

    text: str
    path: Path = field(compare=False)  # the source file, as notes name it
    line: int = field(compare=False)
    key: str = field(compare=False)  # `services.tool.build.dockerfile_inline`


@dataclass(frozen=True)
class ProposedImage:
    """One `[images.NAME]` to write; paths are absolute until rendered."""

    name: str
    context: Path
    dockerfile: Path
    repository: str
    origin: str  # the comment written above the table: where the image came from
    tags: tuple[str, ...] = ()  # empty: the default, latest
    args: Mapping[str, str] = field(default_factory=_empty)
    target: str | None = None
    platforms: tuple[Platform, ...] = ()  # normalised; () is the engine's own, as before
    labels: Mapping[str, str] = field(default_factory=_empty)
    secrets: tuple[Secret, ...] = ()
    network: str | None = None
    depends_on: tuple[str, ...] = ()
    # A Dockerfile given as text: `dockerfile` is where it is written, with the config, once
    # placed (`builder.adopt.inline.place_inline`).
    inline: InlineDockerfile | None = None


@dataclass(frozen=True)
class Proposal:
    root: Path  # the folder imgbuild.toml goes into
    images: tuple[ProposedImage, ...]
    skipped: tuple[Note, ...] = ()  # Dockerfiles, services or targets left out, and why
    unconverted: tuple[Note, ...] = ()  # settings imgbuild.toml cannot say
