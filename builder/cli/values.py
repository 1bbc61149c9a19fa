"""What commands make of option values: split lists, NAME=VALUE pairs, the root's -f."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from builder.errors import UsageError

if TYPE_CHECKING:
    from builder.platforms import Platform


def parse_platforms(values: tuple[str, ...]) -> tuple[Platform, ...]:
    """--platform values (space-separated in the environment variable) as platforms."""
    from builder.platforms import PlatformError, parse_platform

    parsed = []
    for value in split_values(values):
        try:
            parsed.append(parse_platform(value))
        except PlatformError as error:
            raise UsageError(f"--platform {error.message}", hint=error.hint) from None
    return tuple(dict.fromkeys(parsed))


def split_values(values: Sequence[str]) -> list[str]:
    """Repeated values, each of which may hold several separated by spaces (`--engine "a b"`)."""
    return [part for value in values for part in value.split()]


def parse_pairs(
    pairs: Sequence[str], option: str, *, form: str = "NAME=VALUE", hint: str | None = None
) -> dict[str, str]:
    """`NAME=VALUE` options as a dict (a later one wins); one clear error for a malformed one."""
    result: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(
                f"{option} {pair!r} is not {form}", hint=hint or f"write {option} {form}"
            )
        result[name.strip()] = value
    return result


def config_file(ctx: click.Context) -> str | None:
    obj = ctx.find_root().obj or {}
    value = obj.get("config_file")
    return str(value) if value else None
