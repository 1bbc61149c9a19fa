"""Platform specifiers (`linux/amd64`, `arm64`, `linux/arm/v7`) read as containerd reads them.

Only as far as the BuildKit checks need: whether `FROM --platform=` holds a valid constant and
which OS and architecture it names (FromPlatformFlagConstDisallowed).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_OS = r"([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.-]*)((?:\+[A-Za-z0-9_.-]+)*)\))?"
_COMPONENT = r"[A-Za-z0-9_.-]+"
_KNOWN_OS = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
        "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos",
    }
)  # fmt: skip
_KNOWN_ARCH = frozenset(
    {
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le",
        "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc",
        "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    }
)  # fmt: skip
# What containerd picks for a bare OS (`--platform=linux`): BuildKit's host here, amd64.
_DEFAULT_OS, _DEFAULT_ARCH = "linux", "amd64"


class Platform(NamedTuple):
    os: str
    architecture: str
    variant: str = ""


def parse_platform(specifier: str) -> Platform | None:
    """The platform `specifier` names, or None where containerd's `platforms.Parse` fails."""
    if "*" in specifier:
        return None
    parts = specifier.split("/", 3)
    found = re.fullmatch(_OS, parts[0])
    if found is None or not all(re.fullmatch(_COMPONENT, part) for part in parts[1:]):
        return None
    os_name = _normal_os(found.group(1))
    if len(parts) == 1:
        if os_name in _KNOWN_OS:
            return Platform(os_name, _DEFAULT_ARCH)
        arch, variant = _normal_arch(parts[0], "")
        if arch not in _KNOWN_ARCH:
            return None
        return Platform(_DEFAULT_OS, arch, "" if (arch, variant) == ("arm", "v7") else variant)
    if len(parts) == 2:
        arch, variant = _normal_arch(parts[1], "")
        return Platform(os_name, arch, "" if (arch, variant) == ("arm", "v7") else variant)
    if len(parts) == 3:
        arch, variant = _normal_arch(parts[1], parts[2])
        return Platform(os_name, arch, variant or ("v8" if arch == "arm64" else ""))
    return None


def _normal_os(name: str) -> str:
    lowered = name.lower()
    return "darwin" if lowered == "macos" else lowered


def _normal_arch(arch: str, variant: str) -> tuple[str, str]:
    arch, variant = arch.lower(), variant.lower()
    if arch == "i386":
        return "386", ""
    if arch in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if arch in ("aarch64", "arm64"):
        renamed = {"8": "", "v8": "", "v8.0": "", "9": "v9", "9.0": "v9", "v9.0": "v9"}
        return "arm64", renamed.get(variant, variant)
    if arch == "armhf":
        return "arm", "v7"
    if arch == "armel":
        return "arm", "v6"
    if arch == "arm":
        return "arm", {"": "v7", "7": "v7", "5": "v5", "6": "v6", "8": "v8"}.get(variant, variant)
    return arch, variant
