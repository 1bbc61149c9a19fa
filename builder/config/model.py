"""The records of a loaded imgbuild.toml: one frozen record per section, every default resolved."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.config.locator import KeyLocator
from builder.lint.settings import PartialSettings
from builder.platforms import Platform

IMAGE_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
BUILDERS = ("auto", "classic", "buildkit")
NETWORKS = ("none", "host", "default")
ENGINE_SCHEMES = ("unix://", "tcp://", "ssh://", "npipe://")
SBOM_FORMATS = ("spdx", "cyclonedx")
CACHE_MODES = ("readwrite", "read")


@dataclass(frozen=True)
class CacheSettings:
    """Where an image's builds are kept for other machines: a registry, keyed by input digest."""

    registry: str  # HOST[:PORT]/PREFIX
    mode: str = "readwrite"  # one of CACHE_MODES; read never pushes

    @property
    def writes(self) -> bool:
        return self.mode == "readwrite"


@dataclass(frozen=True)
class SecretSource:
    """Where a build secret's value comes from; the value itself is never stored."""

    name: str
    file: Path | None = None
    env: str | None = None


@dataclass(frozen=True)
class TagRules:
    """`[tags]`, or an image's `tag_rules` over it: which tags git and `--version` give."""

    sha: bool = True
    sha_length: int = 7
    branch: bool = True
    version: bool = True
    minor: bool = True
    major: bool = True
    latest: bool = True
    raw: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImageSpec:
    """One image of the config, with every default resolved and every path absolute."""

    name: str
    context: Path
    repository: str
    dockerfile: Path | None = None  # None when the image is rendered from a template
    tags: tuple[str, ...] = ("latest",)
    args: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    target: str | None = None
    depends_on: tuple[str, ...] = ()
    template: str | None = None
    vars: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    builder: str = "auto"
    network: str = "none"
    secrets: tuple[SecretSource, ...] = ()
    tag_rules: TagRules | None = None  # `[tags]` with its own `tag_rules` over it; None: [tags]
    engine: str | None = None  # the pool engine it must build on ([engines.hosts] name)
    # What it is built for; () is the engine's own platform, as when nothing was said.
    platforms: tuple[Platform, ...] = ()
    emulation: bool = True  # false: only an engine native to a platform may build it
    cache: CacheSettings | None = None  # [cache] with the image's own `cache` over it

    @property
    def refs(self) -> tuple[str, ...]:
        """Every local reference the build applies: `repository:tag` for each tag."""
        return tuple(f"{self.repository}:{tag}" for tag in self.tags)


@dataclass(frozen=True)
class TlsSettings:
    """Client TLS for a tcp:// engine, as `docker --tlsverify --tlscacert ...` takes it."""

    ca: Path | None = None
    cert: Path | None = None
    key: Path | None = None
    verify: bool = True


@dataclass(frozen=True)
class EngineHost:
    """One engine of the pool: `[engines.hosts.NAME]` or a --engine URL."""

    name: str
    url: str
    jobs: int | None = None  # builds at once there; None: the run's -j
    tls: TlsSettings | None = None
    # What it can build, when said; () reads its native platform and, for an engine on this
    # machine, the emulation registered here.
    platforms: tuple[Platform, ...] = ()


@dataclass(frozen=True)
class EnginesConfig:
    """`[engines]`: the pool. No hosts means the one engine DOCKER_HOST names."""

    hosts: tuple[EngineHost, ...] = ()
    transfer_registry: str | None = None  # HOST:PORT/prefix images move through, if set


@dataclass(frozen=True)
class PublishSection:
    """`[publish]`: where `imgbuild publish` pushes when no --registry is given."""

    registries: tuple[str, ...] = ()  # HOST[:PORT][/NAMESPACE] each
    sign_key: str | None = None  # PATH (relative to the config), env:VAR or keyring:NAME
    sbom: bool = False  # attach an SPDX SBOM to every pushed digest
    provenance: bool = True  # attach SLSA provenance to every pushed digest
    sbom_format: str = "spdx"  # or cyclonedx (one of SBOM_FORMATS)


@dataclass(frozen=True)
class BuildSection:
    """`[build]`: defaults of every image."""

    platforms: tuple[Platform, ...] = ()  # for images that name none


@dataclass(frozen=True)
class TemplatesSection:
    """`[templates]`: project template folders, as written (relative to the config file)."""

    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    path: Path
    images: Mapping[str, ImageSpec]
    lint: PartialSettings = field(default_factory=PartialSettings)  # `[lint]`, checked at load
    tags: TagRules = field(default_factory=TagRules)
    publish: PublishSection = field(default_factory=PublishSection)
    templates: TemplatesSection = field(default_factory=TemplatesSection)
    engines: EnginesConfig = field(default_factory=EnginesConfig)
    build: BuildSection = field(default_factory=BuildSection)
    cache: CacheSettings | None = None  # `[cache]`; None: no remote cache
    # The lines of the text that was loaded, for messages about it found later (no re-reading).
    locator: KeyLocator = field(default_factory=lambda: KeyLocator(""), compare=False, repr=False)

    @property
    def root(self) -> Path:
        return self.path.parent

    def line(self, key_path: Sequence[str]) -> int | None:
        """The line of a dotted key of the loaded text (else of its nearest parent)."""
        return self.locator.line(key_path)
