"""`imgbuild publish` (build, then push every tag everywhere) and `imgbuild promote`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.cli.options import config_file, options, split_values
from builder.errors import ExitCode


@click.command()
@click.argument("images", nargs=-1)
@options(
    "registries",
    "version",
    "dry_run",
    "metadata_file",
    "jobs",
    "retries",
    "progress",
    "engines",
    "overrides",
)
@click.pass_context
def publish(
    ctx: click.Context,
    images: tuple[str, ...],
    registries: tuple[str, ...],
    version: str | None,
    dry_run: bool,
    metadata_file: Path | None,
    jobs: int | None,
    retries: int,
    progress: str,
    engines: tuple[str, ...],
    overrides: tuple[str, ...],
) -> int:
    """Build IMAGES (default: all), then push every tag of each to every registry.

    Immutable tags (version, sha) of all images go first; moving tags (latest, major, minor,
    branch) only once every immutable one is in place. Refs already pointing at the image are
    skipped; a re-run after a failure pushes only what is missing.
    """
    from builder.build import default_jobs, load_graph, open_session
    from builder.gitinfo import read_git_state
    from builder.progress import choose_renderer
    from builder.publish import dry_run_lines, plan_publish, publish_registries, run_publish
    from builder.report import print_summary, write_json_atomically
    from builder.retry import RetryPolicy
    from builder.scheduler import RunOptions

    split = tuple(split_values(registries))
    if dry_run:
        config, _ = load_graph(config_file(ctx), overrides=overrides, images=images)
        plan = plan_publish(
            config, images, read_git_state(config.root), version, publish_registries(config, split)
        )
        click.echo("\n".join(dry_run_lines(plan)))
        return int(ExitCode.OK)
    session = open_session(
        config_file(ctx),
        overrides=overrides,
        images=images,
        engine_urls=split_values(engines),
    )
    config = session.config
    # Planned before building, so a bad rule or registry is reported before any work.
    plan = plan_publish(
        config, images, session.git_state, version, publish_registries(config, split)
    )
    built = session.run(
        session.plan(version=version),
        RunOptions(jobs=jobs or default_jobs()),
        choose_renderer(progress),
    )
    if built.failed or built.interrupted:
        print_summary(built.results, sys.stderr)
        click.echo("imgbuild: error: the build failed; nothing was pushed", err=True)
        return int(ExitCode.INTERRUPTED if built.interrupted else ExitCode.FAILURE)
    session.gather(built)  # a pool built them on several engines; push from the first
    image_ids = {name: built.result(name).image_id or "" for name in plan.images}
    result = run_publish(
        plan,
        image_ids,
        session.engine,
        retry=RetryPolicy(attempts=retries),
        on_result=lambda row: click.echo(
            f"{row.status.value:<10} {row.target.ref}"
            f"{'  ' + row.digest if row.digest else ''}"
            f"  ({row.detail})"
        ),
    )
    if metadata_file is not None:
        write_json_atomically(metadata_file, result.metadata())
    if result.error is None:
        click.echo(result.summary())
        return int(ExitCode.OK)
    click.echo("\n".join(result.table()), err=True)
    raise result.error


@click.command()
@click.argument("image")
@click.argument("from_tag")
@click.argument("to_tag")
@options("registries", "overrides")
@click.pass_context
def promote(
    ctx: click.Context,
    image: str,
    from_tag: str,
    to_tag: str,
    registries: tuple[str, ...],
    overrides: tuple[str, ...],
) -> int:
    """Point IMAGE's TO_TAG at what FROM_TAG is, in every registry: no pull, no rebuild."""
    from builder.config import find_config, load_config
    from builder.publish import promote as promote_image
    from builder.publish import publish_registries

    config = load_config(find_config(explicit=config_file(ctx)), overrides)
    split = tuple(split_values(registries))
    for done in promote_image(config, image, from_tag, to_tag, publish_registries(config, split)):
        click.echo(f"promoted {done.source} -> {done.target}  {done.digest}")
    return int(ExitCode.OK)
