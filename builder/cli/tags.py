"""`imgbuild tags`: the tags each image would get, and why."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import click

from builder.cli.options import options
from builder.cli.values import config_file

if TYPE_CHECKING:
    from builder.tags import Tag


@click.command()
@click.argument("images", nargs=-1)
@options("version", "tags.json", "overrides")
@click.pass_context
def tags(
    ctx: click.Context,
    images: tuple[str, ...],
    version: str | None,
    as_json: bool,
    overrides: tuple[str, ...],
) -> int:
    """Print the tags IMAGES (default: all) would get from git and the tag rules, and why."""
    from builder.config import find_config, load_config
    from builder.errors import UsageError
    from builder.gitinfo import read_git_state
    from builder.suggest import hint_for
    from builder.tags import image_tags

    config = load_config(find_config(explicit=config_file(ctx)), overrides)
    for name in images:
        if name not in config.images:
            raise UsageError(
                f"no image named {name!r} in the config",
                hint=hint_for(name, config.images, "images"),
            )
    git_state = read_git_state(config.root)
    computed = {
        name: image_tags(config, config.images[name], git_state, version)
        for name in images or tuple(config.images)
    }
    if as_json:
        click.echo(_as_json(computed))
        return 0
    if git_state is None:
        click.echo(
            f"note: {config.root} is not in a git repository (or has no commit): no sha "
            "or branch tags"
        )
    for name, found in computed.items():
        click.echo(f"{name} ({config.images[name].repository})")
        click.echo("\n".join(_tag_lines(found)))
    return 0


def _as_json(computed: Mapping[str, Sequence[Tag]]) -> str:
    document = {
        name: [
            {
                "tag": tag.name,
                "kind": tag.kind.value,
                "immutable": tag.immutable,
                "reason": tag.reason,
            }
            for tag in found
        ]
        for name, found in computed.items()
    }
    return json.dumps(document, indent=2)


def _tag_lines(found: Sequence[Tag]) -> list[str]:
    from builder.text import align

    if not found:
        return ["  no tags: pass --version or set raw tags in [tags]"]
    rows = [
        # The kind column is as wide as "immutable" even when every tag is moving.
        (
            tag.name,
            f"{'immutable' if tag.immutable else 'moving':<9}",
            f"{tag.kind.value}: {tag.reason}",
        )
        for tag in found
    ]
    return [f"  {line}" for line in align(rows)]
