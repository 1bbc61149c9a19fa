"""`imgbuild build`: build the graph (or some images and what they need)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.cli.options import build_arg_option, config_file, parse_pairs, set_option
from builder.errors import ExitCode


@click.command()
@click.argument("images", nargs=-1)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    envvar="IMGBUILD_JOBS",
    help="Images built at once (env IMGBUILD_JOBS; default: the CPU count).",
)
@click.option(
    "--keep-going",
    is_flag=True,
    envvar="IMGBUILD_KEEP_GOING",
    help="After a failure, build everything that does not depend on it (env IMGBUILD_KEEP_GOING).",
)
@click.option("--no-cache", is_flag=True, help="Build every image, even when nothing changed.")
@click.option(
    "--builder",
    type=click.Choice(["auto", "classic", "buildkit"]),
    envvar="IMGBUILD_BUILDER",
    help="Builder for every image, over the config's (env IMGBUILD_BUILDER; "
    "default: each image's builder, auto).",
)
@click.option(
    "--print",
    "print_plan",
    is_flag=True,
    help="Print the resolved plan (order, args, tags, skips) and build nothing.",
)
@click.option(
    "--progress",
    type=click.Choice(["auto", "tty", "plain", "json"]),
    default="auto",
    envvar="IMGBUILD_PROGRESS",
    show_default=True,
    help="Live view, plain lines or JSON events (env IMGBUILD_PROGRESS).",
)
@click.option(
    "--metadata-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="IMGBUILD_METADATA_FILE",
    help="Write each image's status, ID, tags and digest as JSON (env IMGBUILD_METADATA_FILE).",
)
@click.option(
    "--engine",
    "engines",
    multiple=True,
    metavar="URL",
    envvar="IMGBUILD_ENGINES",
    help="A Docker Engine to build on (repeatable: a pool named e1, e2, ...; env "
    "IMGBUILD_ENGINES, space-separated); default: [engines] or DOCKER_HOST.",
)
@set_option
@build_arg_option
@click.pass_context
def build(
    ctx: click.Context,
    images: tuple[str, ...],
    jobs: int | None,
    keep_going: bool,
    no_cache: bool,
    builder: str | None,
    print_plan: bool,
    progress: str,
    metadata_file: Path | None,
    engines: tuple[str, ...],
    overrides: tuple[str, ...],
    build_args: tuple[str, ...],
) -> int:
    """Build IMAGES (default: all) in dependency order, skipping what has not changed."""
    from builder.build import default_jobs, open_session
    from builder.cli.progress import choose_renderer
    from builder.cli.summary import print_summary
    from builder.plan_output import plan_json, plan_lines
    from builder.report import metadata, write_json_atomically
    from builder.scheduler import RunOptions

    session = open_session(
        config_file(ctx),
        overrides=overrides,
        build_args=parse_pairs(build_args, "--build-arg"),
        images=images,
        engine_urls=[url for value in engines for url in value.split()],
    )
    plan = session.plan(no_cache=no_cache, builder=builder)
    if print_plan:
        if progress == "json":
            click.echo(plan_json(plan))
        else:
            click.echo("\n".join(plan_lines(plan)))
        return int(ExitCode.OK)
    options = RunOptions(jobs=jobs or default_jobs(), keep_going=keep_going, no_cache=no_cache)
    result = session.run(plan, options, choose_renderer(progress))
    if metadata_file is not None:
        write_json_atomically(metadata_file, metadata(result.results, result.engines_down))
    print_summary(
        result.results,
        sys.stderr if progress == "json" else sys.stdout,
        engines=result.pool_size > 1,
        engines_down=result.engines_down,
    )
    if result.interrupted:
        return int(ExitCode.INTERRUPTED)
    return int(ExitCode.FAILURE if result.failed else ExitCode.OK)
