"""`imgbuild engines`: the pool of Docker engines, with each one's health and figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from builder.cli.options import options
from builder.cli.values import config_file, split_values
from builder.errors import ExitCode
from builder.text import align, byte_size

if TYPE_CHECKING:
    from builder.engine_report import EngineReport


@click.command()
@options("engines", "engines.format")
@click.pass_context
def engines(ctx: click.Context, engines: tuple[str, ...], output_format: str) -> int:
    """List the engines builds go to: health (and why one is down), version, the platforms
    each builds (native and emulated), free disk, images. Exits 1 when any engine is down."""
    import json
    from dataclasses import asdict

    from builder.config import EnginesConfig, find_config, load_config
    from builder.engine_report import engine_reports
    from builder.errors import ConfigError
    from builder.pool import make_pool

    explicit = config_file(ctx)
    try:
        path = find_config(explicit=explicit)
    except ConfigError:
        if explicit is not None:
            raise
        path = None  # outside a project: the --engine URLs, or DOCKER_HOST
    # A config that is there but broken is an error, not a reason to use DOCKER_HOST instead.
    settings = load_config(path, check_paths=False).engines if path else EnginesConfig()
    pool = make_pool(settings, split_values(engines))
    reports = engine_reports(pool)
    if output_format == "json":
        documents = [
            {**asdict(report), "platforms": report.platforms and report.platforms.to_json()}
            for report in reports
        ]
        click.echo(json.dumps({"engines": documents}, indent=2))
    else:
        click.echo("\n".join(_table(reports)))
    return int(ExitCode.OK if all(report.up for report in reports) else ExitCode.FAILURE)


def _table(reports: list[EngineReport]) -> list[str]:
    rows = [
        ("NAME", "URL", "STATUS", "VERSION", "JOBS", "FREE DISK", "IMAGES", "SIZE", "PLATFORMS")
    ]
    for report in reports:
        status = "up" if report.up else f"down: {report.reason}"
        rows.append(
            (
                report.name,
                report.url,
                status,
                report.version or "-",
                str(report.jobs) if report.jobs else "-j",
                _bytes(report.free_disk),
                "-" if report.images is None else str(report.images),
                _bytes(report.images_size),
                report.platforms.describe() if report.platforms else "-",
            )
        )
    return align(rows)


def _bytes(count: int | None) -> str:
    return "unknown" if count is None else byte_size(count)
