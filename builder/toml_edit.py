"""Adding an image to imgbuild.toml without disturbing anything else in it.

tomlkit keeps comments, ordering and formatting, so a scaffold can add `[images.NAME]` to a
config people have written by hand. The new text is computed first and written by the caller
only once everything else of the scaffold has rendered, so a failure leaves the file untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table

from builder.config import CONFIG_NAME
from builder.errors import ConfigError

NEW_CONFIG_HEADER = "imgbuild configuration: one [images.NAME] table per image (see README.md)."


def find_nearest_config(start: Path) -> Path | None:
    """imgbuild.toml in `start` (which may not exist yet) or its nearest existing parent."""
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def with_image(existing: str | None, name: str, entry: Mapping[str, Any], path: Path) -> str | None:
    """The config text with `[images.NAME]` added; None when it is already there as wanted.

    An image of that name with other settings is an error: the scaffold would otherwise
    silently point an existing image somewhere else.
    """
    try:
        document = tomlkit.parse(existing) if existing is not None else _new_document()
    except TOMLKitError as error:
        raise ConfigError(
            f"not valid TOML, cannot add image {name!r}: {error}",
            path=path,
            hint="fix the config first",
        ) from error
    images = document.get("images")
    if images is None:
        images = tomlkit.table(is_super_table=True)
        document.add("images", images)
    elif not isinstance(images, Table):
        raise ConfigError("images must be a table", path=path, hint="fix the config first")
    current = images.get(name)
    if current is not None:
        if isinstance(current, Table) and all(
            current.get(key) == value for key, value in entry.items()
        ):
            return None
        raise ConfigError(
            f"images.{name} already exists with other settings",
            path=path,
            hint=f"choose another name with --set name=NAME, or remove [images.{name}]",
        )
    table = tomlkit.table()
    for key, value in entry.items():
        table.add(key, value)
    images.add(name, table)
    return tomlkit.dumps(document)


def _new_document() -> tomlkit.TOMLDocument:
    document = tomlkit.document()
    document.add(tomlkit.comment(NEW_CONFIG_HEADER))
    document.add(tomlkit.nl())
    return document
