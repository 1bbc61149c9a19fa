"""What a publish will push: every computed tag of every selected image on every registry,
immutable tags (full version, sha) before moving ones (latest, major, minor, branch, raw)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from builder.config import Config
from builder.credentials import registry_key
from builder.errors import UsageError
from builder.gitinfo import GitState
from builder.refs import is_valid_repository, names_registry, split_registry
from builder.tags import Tag, image_tags


@dataclass(frozen=True)
class Target:
    """One ref to publish: an image's tag in a repository of one registry."""

    image: str
    host: str  # as the ref spells it: "docker.io", "127.0.0.1:5000"
    repository: str  # the path inside the registry: "acme/shop/api"
    tag: Tag

    @property
    def registry(self) -> str:
        return registry_key(self.host)

    @property
    def name(self) -> str:
        return f"{self.host}/{self.repository}"

    @property
    def ref(self) -> str:
        return f"{self.name}:{self.tag.name}"


@dataclass(frozen=True)
class PublishPlan:
    targets: tuple[Target, ...]  # immutable refs of every image first, then moving ones
    images: tuple[str, ...]


def publish_registries(config: Config, override: Sequence[str]) -> tuple[str, ...]:
    """`--registry` values, else `[publish] registries` (checked when the config loaded)."""
    return tuple(override) or config.publish.registries


def plan_publish(
    config: Config,
    images: Sequence[str],
    git_state: GitState | None,
    version: str | None,
    registries: Sequence[str],
) -> PublishPlan:
    """Every ref to push: REGISTRY/REPOSITORY:TAG for each image, registry and tag."""
    names = tuple(images) or tuple(config.images)
    immutable: list[Target] = []
    moving: list[Target] = []
    for name in names:
        tags = image_tags(config, config.images[name], git_state, version)
        if not tags:
            raise UsageError(
                f"image {name} gets no tag to publish",
                hint="run in a git repository, pass --version, or set raw tags in [tags]",
            )
        for host, path in image_locations(config, name, registries):
            for tag in tags:
                target = Target(name, host, path, tag)
                (immutable if tag.immutable else moving).append(target)
    return PublishPlan(targets=(*immutable, *moving), images=names)


def image_locations(config: Config, name: str, registries: Sequence[str]) -> list[tuple[str, str]]:
    """(host, path) of the image's repository on each registry."""
    repository = config.images[name].repository
    if not registries and not names_registry(repository):
        raise UsageError(
            f"no registry to publish {name} to",
            hint="set [publish] registries in imgbuild.toml or pass --registry",
        )
    locations = []
    for registry in registries or ("",):
        full = f"{registry.rstrip('/')}/{repository}" if registry else repository
        host, path = split_registry(full)
        if not is_valid_repository(f"{host}/{path}"):
            raise UsageError(
                f"{full} is not a valid repository name",
                hint="registries look like HOST[:PORT][/NAMESPACE]",
            )
        locations.append((host, path))
    return locations


def dry_run_lines(plan: PublishPlan) -> list[str]:
    lines = []
    for target in plan.targets:
        kind = "immutable" if target.tag.immutable else "moving"
        lines.append(
            f"would push {target.ref}  ({kind}; {target.tag.kind.value}: {target.tag.reason})"
        )
    return lines
