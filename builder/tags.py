"""Tag rules: which tags an image gets from git and `--version`, and why; OCI labels.

Rules come from `[tags]` in imgbuild.toml, overridden key by key by an image's `tag_rules`:

    sha = true          short commit id, `-dirty` appended when tracked files changed
    sha_length = 7
    branch = true       the current branch, sanitized (none on a detached HEAD)
    version = true      the full semver version: from `--version`, else a git tag on HEAD
    minor = true        `1.2` for a release `1.2.3`
    major = true        `1` for a release `1.2.3`
    latest = true       `latest` for a release
    raw = []            fixed tags, always applied

A pre-release (`1.3.0-rc.1`) only ever gets its own tag: it never moves `1`, `1.3` or `latest`.
A git tag `NAME/v1.2.3` versions only the image NAME and wins over a plain `v1.2.3`.
The full version and the sha are immutable tags; every other tag moves from build to build, and
publish pushes those only after every immutable tag is in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from builder.config import Config, ImageSpec, TagRules
from builder.errors import UsageError
from builder.gitinfo import GitState
from builder.refs import sanitize_tag


class TagKind(Enum):
    VERSION = "version"
    SHA = "sha"
    MINOR = "minor"
    MAJOR = "major"
    LATEST = "latest"
    BRANCH = "branch"
    RAW = "raw"

    @property
    def immutable(self) -> bool:
        return self in (TagKind.VERSION, TagKind.SHA)


@dataclass(frozen=True)
class Tag:
    name: str
    kind: TagKind
    reason: str

    @property
    def immutable(self) -> bool:
        return self.kind.immutable


# ---------------------------------------------------------------------------------------------
# Versions


_SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


@dataclass(frozen=True)
class Version:
    major: int
    minor: int
    patch: int
    prerelease: str | None = None
    build: str | None = None

    @property
    def is_release(self) -> bool:
        return self.prerelease is None

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.build:
            text += f"+{self.build}"
        return text

    def precedence(self) -> tuple[Any, ...]:
        """A sort key following semver precedence (build metadata ignored)."""
        if self.prerelease is None:
            pre: tuple[Any, ...] = ((1,),)
        else:
            pre = tuple(
                (0, int(part), "") if part.isdigit() else (1, 0, part)
                for part in self.prerelease.split(".")
            )
            pre = ((0, *pre),)
        return (self.major, self.minor, self.patch, pre)


def parse_version(text: str) -> Version | None:
    """`1.2.3`, `v1.2.3-rc.1+build.5` -> Version; None when not semver."""
    match = _SEMVER.match(text.strip())
    if not match:
        return None
    major, minor, patch, prerelease, build = match.groups()
    return Version(int(major), int(minor), int(patch), prerelease, build)


@dataclass(frozen=True)
class VersionSource:
    version: Version
    origin: str  # said to the user: "--version", "git tag api/v1.2.3 on HEAD"


def image_version(
    image: str, git_state: GitState | None, explicit: str | None = None
) -> VersionSource | None:
    """The version of `image`: `--version`, else its own git tag on HEAD, else a plain one."""
    if explicit is not None:
        version = parse_version(explicit)
        if version is None:
            raise UsageError(
                f"--version {explicit!r} is not a semantic version",
                hint="write it like 1.2.3 or 1.3.0-rc.1",
            )
        return VersionSource(version, "--version")
    if git_state is None:
        return None
    own: list[tuple[Version, str]] = []
    plain: list[tuple[Version, str]] = []
    for tag in git_state.tags:
        prefix, _, rest = tag.rpartition("/")
        version = parse_version(rest)
        if version is None:
            continue
        if prefix == image:
            own.append((version, tag))
        elif not prefix:
            plain.append((version, tag))
    candidates = own or plain
    if not candidates:
        return None
    version, tag = max(candidates, key=lambda item: item[0].precedence())
    return VersionSource(version, f"git tag {tag} on HEAD")


# ---------------------------------------------------------------------------------------------
# Rules from the config


def tag_rules(config: Config, spec: ImageSpec) -> TagRules:
    """`[tags]` overridden by the image's `tag_rules` (both checked when the config loaded)."""
    return spec.tag_rules if spec.tag_rules is not None else config.tags


# ---------------------------------------------------------------------------------------------
# Computing tags


def compute_tags(
    rules: TagRules, git_state: GitState | None, version: VersionSource | None
) -> tuple[Tag, ...]:
    """Every tag the rules give, immutable ones first, each with the reason it applies."""
    tags: list[Tag] = []
    if version is not None and rules.version:
        tags.append(Tag(sanitize_tag(str(version.version)), TagKind.VERSION, version.origin))
    if git_state is not None and rules.sha:
        name = git_state.short_sha(rules.sha_length)
        reason = f"commit {git_state.sha[:12]}"
        if git_state.dirty:
            name += "-dirty"
            reason += ", with uncommitted changes"
        tags.append(Tag(name, TagKind.SHA, reason))
    if version is not None and version.version.is_release:
        release = version.version
        why = f"release {release} ({version.origin})"
        if rules.minor:
            tags.append(Tag(f"{release.major}.{release.minor}", TagKind.MINOR, why))
        if rules.major:
            tags.append(Tag(str(release.major), TagKind.MAJOR, why))
        if rules.latest:
            tags.append(Tag("latest", TagKind.LATEST, why))
    if git_state is not None and git_state.branch and rules.branch:
        tags.append(
            Tag(sanitize_tag(git_state.branch), TagKind.BRANCH, f"branch {git_state.branch}")
        )
    tags.extend(Tag(name, TagKind.RAW, "raw value from the tag rules") for name in rules.raw)
    unique: dict[str, Tag] = {}
    for tag in tags:
        unique.setdefault(tag.name, tag)  # the first, most specific reason wins
    return tuple(unique.values())


def image_tags(
    config: Config, spec: ImageSpec, git_state: GitState | None, explicit_version: str | None
) -> tuple[Tag, ...]:
    """The tags `spec` gets under the config's rules and this git state."""
    version = image_version(spec.name, git_state, explicit_version)
    return compute_tags(tag_rules(config, spec), git_state, version)


# ---------------------------------------------------------------------------------------------
# OCI labels


def oci_labels(
    spec: ImageSpec, git_state: GitState | None, version: VersionSource | None
) -> dict[str, str]:
    """The org.opencontainers.image.* labels for a build of `spec`.

    `created` is the commit time, never the clock: an unchanged commit gives unchanged labels and
    so an unchanged image. Without git, only title and version are known.
    """
    prefix = "org.opencontainers.image."
    labels = {f"{prefix}title": spec.name}
    if version is not None:
        labels[f"{prefix}version"] = str(version.version)
    if git_state is not None:
        if version is None:
            dirty = "-dirty" if git_state.dirty else ""
            labels[f"{prefix}version"] = git_state.short_sha() + dirty
        labels[f"{prefix}revision"] = git_state.sha
        labels[f"{prefix}created"] = git_state.commit_time.strftime("%Y-%m-%dT%H:%M:%SZ")
        if git_state.source_url:
            labels[f"{prefix}source"] = git_state.source_url
    return labels
