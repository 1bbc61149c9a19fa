"""Platforms (`linux/arm64`, `linux/arm/v7`): parsing, the engine's own, emulation, local refs.

A platform is written as the OCI image spec and `docker build --platform` write it:
`OS/ARCHITECTURE[/VARIANT]`, with the architecture in Go's naming (`amd64`, `arm64`). The kernel
names engines report (`x86_64`, `aarch64`) and the usual aliases are normalised, as BuildKit's
platform parser does, so `linux/x86_64` and `linux/amd64` are the same platform.

An engine of this generation keeps one image per tag, so a platform variant other than the one
the configured tags point at is kept under a ref of its own: the tag with the platform appended
(`shop/base:dev` -> `shop/base:dev-linux-arm64`, see `variant_ref`). The same convention names
the local variants of an outside base (`local/busybox:1-linux-arm64`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder.refs import split_ref

KNOWN_OS = ("linux", "windows")
# Go's architecture names the OCI spec uses, with the variants each accepts (first: default).
KNOWN_ARCHITECTURES: dict[str, tuple[str, ...]] = {
    "amd64": ("", "v2", "v3", "v4"),
    "arm64": ("", "v8"),
    "arm": ("v7", "v6", "v5"),
    "386": ("",),
    "ppc64le": ("",),
    "s390x": ("",),
    "riscv64": ("",),
    "mips64le": ("",),
    "loong64": ("",),
}
# Other spellings of an architecture -> (architecture, variant), as BuildKit normalises them.
_ALIASES: dict[str, tuple[str, str]] = {
    "x86_64": ("amd64", ""),
    "x86-64": ("amd64", ""),
    "aarch64": ("arm64", ""),
    "armhf": ("arm", "v7"),
    "armel": ("arm", "v6"),
    "i386": ("386", ""),
    "i686": ("386", ""),
}
# The qemu binfmt handler that runs each architecture's binaries (Debian's qemu-user-static).
_QEMU_NAMES: dict[str, str] = {
    "arm64": "aarch64",
    "arm": "arm",
    "386": "i386",
    "amd64": "x86_64",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "mips64le": "mips64el",
    "loong64": "loongarch64",
}
BINFMT_DIR = Path("/proc/sys/fs/binfmt_misc")
_PART = re.compile(r"^[a-z0-9_-]+$")


class PlatformError(ValueError):
    """A platform string that is malformed or names an unknown OS or architecture."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, order=True)
class Platform:
    os: str
    architecture: str
    variant: str = ""

    def __str__(self) -> str:
        parts = [self.os, self.architecture] + ([self.variant] if self.variant else [])
        return "/".join(parts)

    @property
    def tag_suffix(self) -> str:
        """What `variant_ref` appends to a tag: `linux-arm64`, `linux-arm-v7`."""
        return str(self).replace("/", "-")

    def descriptor(self) -> dict[str, str]:
        """The `platform` object of an OCI index entry."""
        described = {"architecture": self.architecture, "os": self.os}
        if self.variant:
            described["variant"] = self.variant
        return described


def predefined_args(build: Platform, target: Platform) -> dict[str, str]:
    """The platform ARGs BuildKit defines in every build: BUILDPLATFORM, BUILDOS, BUILDARCH, ...
    of the machine that builds, TARGETPLATFORM, TARGETARCH, ... of the one built for."""
    values: dict[str, str] = {}
    for prefix, platform in (("BUILD", build), ("TARGET", target)):
        values[f"{prefix}PLATFORM"] = str(platform)
        values[f"{prefix}OS"] = platform.os
        values[f"{prefix}OSVERSION"] = ""
        values[f"{prefix}ARCH"] = platform.architecture
        values[f"{prefix}VARIANT"] = platform.variant
    return values


def parse_platform(text: str) -> Platform:
    """`linux/arm64` -> Platform; raises PlatformError with a hint on anything else."""
    parts = text.strip().lower().split("/")
    if not 2 <= len(parts) <= 3 or not all(_PART.match(part) for part in parts):
        raise PlatformError(
            f"{text!r} is not a platform",
            "write OS/ARCHITECTURE[/VARIANT], e.g. linux/amd64, linux/arm64 or linux/arm/v7",
        )
    os_name, architecture = parts[0], parts[1]
    variant = parts[2] if len(parts) == 3 else ""
    if os_name not in KNOWN_OS:
        raise PlatformError(
            f"{text!r}: unknown operating system {os_name!r}", f"known: {', '.join(KNOWN_OS)}"
        )
    if architecture in _ALIASES:
        architecture, implied = _ALIASES[architecture]
        variant = variant or implied
    if architecture not in KNOWN_ARCHITECTURES:
        raise PlatformError(
            f"{text!r}: unknown architecture {architecture!r}",
            f"known: {', '.join(KNOWN_ARCHITECTURES)}",
        )
    variants = KNOWN_ARCHITECTURES[architecture]
    variant = variant or variants[0]  # linux/arm is linux/arm/v7, as BuildKit reads it
    if variant not in variants:
        accepted = ", ".join(v for v in variants if v) or "none"
        raise PlatformError(
            f"{text!r}: {architecture} has no variant {variant!r}", f"its variants: {accepted}"
        )
    # The default variant is left out, as the OCI spec and BuildKit write it (arm64, not
    # arm64/v8), so two spellings of one platform compare equal; arm keeps its v7.
    if variant == "v8" and architecture == "arm64":
        variant = ""
    return Platform(os_name, architecture, variant)


def engine_platform(os_type: str, architecture: str, variant: str = "") -> Platform:
    """The platform an engine or an image config reports (`linux`, `x86_64`, variant)."""
    text = "/".join(part for part in (os_type or "linux", architecture, variant) if part)
    try:
        return parse_platform(text)
    except PlatformError:
        return Platform(os_type or "linux", architecture.lower(), variant)


@lru_cache(maxsize=8)  # asked per image and engine during a run; the handlers do not change
def emulated_platforms(native: Platform, binfmt_dir: Path = BINFMT_DIR) -> tuple[Platform, ...]:
    """The Linux platforms this machine's kernel runs under qemu (binfmt_misc handlers).

    A handler counts only when enabled and registered with the fix-binary flag (`F`): without
    it the interpreter is looked up inside each container's filesystem, where it is not.
    """
    found: list[Platform] = []
    for architecture, qemu_name in _QEMU_NAMES.items():
        if architecture == native.architecture:
            continue
        try:
            text = (binfmt_dir / f"qemu-{qemu_name}").read_text()
        except OSError:
            continue
        flags = re.search(r"^flags:\s*(\S*)", text, re.MULTILINE)
        if text.startswith("enabled") and flags and "F" in flags.group(1):
            found.append(Platform("linux", architecture, KNOWN_ARCHITECTURES[architecture][0]))
    return tuple(found)


def variant_ref(ref: str, platform: Platform) -> str:
    """The local ref of `ref`'s variant for `platform`: the tag with the platform appended."""
    parsed = split_ref(ref)
    return f"{parsed.repository}:{parsed.tag_or_latest}-{platform.tag_suffix}"


KEY_SEPARATOR = "@"  # image names cannot hold it


def variant_key(image: str, platform: Platform) -> str:
    """The run's key of an image's variant other than its primary one: `web@linux/arm64`."""
    return f"{image}{KEY_SEPARATOR}{platform}"


def image_of(key: str) -> str:
    """The image name of a run's key (`web@linux/arm64` -> `web`)."""
    return key.split(KEY_SEPARATOR, 1)[0]


@dataclass(frozen=True)
class BuildPlatforms:
    """What one engine can build: natively, and under emulation."""

    native: Platform
    emulated: tuple[Platform, ...] = ()

    def is_native(self, platform: Platform) -> bool:
        # Variants of one architecture run natively alike (an arm64 host runs arm64/v8).
        return (platform.os, platform.architecture) == (self.native.os, self.native.architecture)

    def can_build(self, platform: Platform) -> bool:
        return self.is_native(platform) or any(
            (platform.os, platform.architecture) == (other.os, other.architecture)
            for other in self.emulated
        )

    def describe(self) -> str:
        """`linux/amd64 (native), linux/arm64 (emulated)`."""
        return ", ".join(
            [f"{self.native} (native)", *(f"{platform} (emulated)" for platform in self.emulated)]
        )

    def to_json(self) -> dict[str, object]:
        return {"native": str(self.native), "emulated": [str(p) for p in self.emulated]}


def build_platforms(
    native: Platform, url: str, declared: tuple[Platform, ...] = ()
) -> BuildPlatforms:
    """What the engine at `url` can build: what the config declares for it, else its native
    platform plus, for an engine on this machine (a unix socket), this kernel's qemu handlers.
    A remote engine's emulation cannot be seen from here: declare it with `platforms`."""
    if declared:
        return BuildPlatforms(native, tuple(p for p in declared if p != native))
    if url.startswith("unix://"):
        return BuildPlatforms(native, emulated_platforms(native))
    return BuildPlatforms(native)
