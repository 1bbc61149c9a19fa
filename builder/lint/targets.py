"""What `imgbuild lint` lints: the paths given, else the config's images, else `.`.

The images of an imgbuild.toml are linted where they are: a plain image's Dockerfile on disk; a
templated image's Dockerfile rendered first, its findings reported under the template's name.
An image's build arg BUILDKIT_DOCKERFILE_CHECK goes with it, as BuildKit reads it in the build.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from builder.lint.discovery import discover
from builder.lint.runner import LintTarget

if TYPE_CHECKING:
    from builder.config import Config, ImageSpec

CHECK_ARG = "BUILDKIT_DOCKERFILE_CHECK"


def path_targets(paths: Sequence[Path]) -> list[LintTarget]:
    """Files as given, and the Dockerfiles found under directories."""
    return [LintTarget(str(path), path, context_dir=path.parent) for path in discover(paths)]


def config_targets(config: Config) -> list[LintTarget]:
    """One target per image of the config, in the config's order."""
    targets: list[LintTarget] = []
    seen: set[Path] = set()
    for spec in config.images.values():
        checks = _check_option(spec, config)
        if spec.template is not None:
            targets.append(_template_target(spec, config, checks))
        elif spec.dockerfile is not None and spec.dockerfile not in seen:
            seen.add(spec.dockerfile)
            dockerfile = spec.dockerfile
            targets.append(
                LintTarget(
                    display(dockerfile), dockerfile, context_dir=spec.context, check_option=checks
                )
            )
    return targets


def _check_option(spec: ImageSpec, config: Config) -> str | None:
    from builder.lint.settings import parse_buildkit_check

    key = ("images", spec.name, "args", CHECK_ARG)
    value = spec.args.get(CHECK_ARG)
    return parse_buildkit_check(value, ".".join(key), config.path, config.line(key))


def _template_target(spec: ImageSpec, config: Config, checks: str | None) -> LintTarget:
    def render() -> str:
        from builder.errors import TemplateError

        try:
            from builder.templates import render_image_dockerfile
        except ImportError as error:
            raise TemplateError(
                f"image {spec.name!r} uses template {spec.template!r}, but templates cannot be "
                f"rendered here ({error})",
                path=config.path,
            ) from error
        rendered = render_image_dockerfile(spec, config)
        return str(getattr(rendered, "text", rendered))

    name = f"{spec.template} [rendered for image {spec.name}]"
    return LintTarget(name, context_dir=spec.context, render=render, check_option=checks)


def graph_tags(config: Config) -> dict[str, frozenset[str]]:
    """repository -> the tags the graph produces for it."""
    tags: dict[str, set[str]] = {}
    for spec in config.images.values():
        tags.setdefault(spec.repository, set()).update(spec.tags)
    return {repository: frozenset(values) for repository, values in tags.items()}


def display(path: Path) -> str:
    """`path` relative to the current directory when it is below it, else absolute."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
