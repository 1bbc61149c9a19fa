"""`imgbuild publish` (build, then push every tag everywhere) and `imgbuild promote`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from builder.cli.options import config_file, set_option
from builder.errors import ExitCode

_REGISTRY_HELP = (
    "A registry to publish to, HOST[:PORT][/NAMESPACE] (repeatable; env "
    "IMGBUILD_REGISTRIES, space-separated); default: [publish] registries."
)


@click.command()
@click.argument("images", nargs=-1)
@click.option(
    "--registry", "registries", multiple=True, envvar="IMGBUILD_REGISTRIES", help=_REGISTRY_HELP
)
@click.option(
    "--version",
    "version",
    envvar="IMGBUILD_VERSION",
    help="The semver version to tag (env IMGBUILD_VERSION); default: a git tag on HEAD.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print every ref that would be pushed and why; build and contact nothing.",
)
@click.option(
    "--metadata-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="IMGBUILD_METADATA_FILE",
    help="Write per image: status, registry digest, pushed/skipped/failed refs "
    "(env IMGBUILD_METADATA_FILE).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    envvar="IMGBUILD_JOBS",
    help="Images built at once (env IMGBUILD_JOBS; default: the CPU count).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    envvar="IMGBUILD_PUSH_RETRIES",
    help="Attempts per request on transient errors, with backoff (env IMGBUILD_PUSH_RETRIES).",
)
@click.option(
    "--progress",
    type=click.Choice(["auto", "tty", "plain", "json"]),
    default="auto",
    envvar="IMGBUILD_PROGRESS",
    show_default=True,
    help="How the build shows progress (env IMGBUILD_PROGRESS).",
)
@click.option(
    "--engine",
    "engines",
    multiple=True,
    metavar="URL",
    envvar="IMGBUILD_ENGINES",
    help="A Docker Engine to build on (repeatable: a pool; env IMGBUILD_ENGINES); "
    "images are pushed from the first.",
)
@set_option
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
    from builder.cli.progress import choose_renderer
    from builder.cli.summary import print_summary
    from builder.gitinfo import read_git_state
    from builder.publish import dry_run_lines, plan_publish, publish_registries, run_publish
    from builder.registry import RetryPolicy
    from builder.report import write_json_atomically
    from builder.scheduler import RunOptions

    split = tuple(part for value in registries for part in value.split())
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
        engine_urls=[url for value in engines for url in value.split()],
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
@click.option(
    "--registry", "registries", multiple=True, envvar="IMGBUILD_REGISTRIES", help=_REGISTRY_HELP
)
@set_option
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
    split = tuple(part for value in registries for part in value.split())
    for done in promote_image(config, image, from_tag, to_tag, publish_registries(config, split)):
        click.echo(f"promoted {done.source} -> {done.target}  {done.digest}")
    return int(ExitCode.OK)
