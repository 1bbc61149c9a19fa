"""Options several commands share, declared once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from builder.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])


def set_option(function: F) -> F:
    return click.option(
        "--set",
        "overrides",
        multiple=True,
        metavar="KEY=VALUE",
        help="Override a config value, e.g. --set images.api.args.PORT=9090 (repeatable).",
    )(function)


def build_arg_option(function: F) -> F:
    return click.option(
        "--build-arg",
        "build_args",
        multiple=True,
        metavar="NAME=VALUE",
        help="A build arg for every image, over the config's args (repeatable).",
    )(function)


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
