"""`imgbuild publish` (build, then push every tag everywhere) and `imgbuild promote`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli import startup_done
from builder.cli.options import options
from builder.cli.values import config_file, parse_platforms, split_values
from builder.errors import ExitCode

if TYPE_CHECKING:
    from builder.cli.outputs import RunOutputs
    from builder.cli.uploads import UploadsView
    from builder.events import Emit
    from builder.publish import RefResult
    from builder.release import PublishRequest, Release
    from builder.timeline import Recorder
    from builder.uploads import PushEvent


@click.command()
@click.argument("images", nargs=-1)
@options(
    "registries",
    "version",
    "dry_run",
    "metadata_file",
    "junit",
    "report",
    "jobs",
    "retries",
    "sign_key",
    "provenance",
    "provenance_dir",
    "sbom",
    "sbom_dir",
    "sbom_format",
    "progress",
    "engines",
    "overrides",
    "platforms",
    "cache_registry",
    "no_remote_cache",
)
@click.pass_context
def publish(
    ctx: click.Context,
    images: tuple[str, ...],
    registries: tuple[str, ...],
    version: str | None,
    dry_run: bool,
    metadata_file: Path | None,
    junit: Path | None,
    report: Path | None,
    jobs: int | None,
    retries: int,
    sign_key: str | None,
    provenance: bool | None,
    provenance_dir: Path | None,
    sbom: bool,
    sbom_dir: Path | None,
    sbom_format: str | None,
    progress: str,
    engines: tuple[str, ...],
    overrides: tuple[str, ...],
    platforms: tuple[str, ...],
    cache_registry: str | None,
    no_remote_cache: bool,
) -> int:
    """Build IMAGES (default: all), then push every tag of each to every registry.

    Immutable tags (version, sha) of all images go first; moving tags (latest, major, minor,
    branch) only once every immutable one is in place. Refs already pointing at the image are
    skipped; a re-run after a failure pushes only what is missing. An image built for several
    platforms is pushed as one index naming each.
    """
    from builder.build import CacheOverride
    from builder.cli.outputs import RunOutputs
    from builder.cli.progress import choose_renderer
    from builder.cli.uploads import choose_uploads
    from builder.release import PublishRequest

    request = PublishRequest(
        config_file=config_file(ctx),
        images=images,
        registries=tuple(split_values(registries)),
        version=version,
        overrides=overrides,
        engine_urls=tuple(split_values(engines)),
        jobs=jobs,
        retries=retries,
        metadata_file=metadata_file,
        sign_key=sign_key,
        provenance=provenance,
        provenance_dir=provenance_dir,
        sbom=sbom,
        sbom_dir=sbom_dir,
        sbom_format=sbom_format,
        platforms=parse_platforms(platforms),
        cache=CacheOverride(cache_registry, no_remote_cache),
    )
    if dry_run:
        return _dry_run(request)
    outputs = RunOutputs(junit=junit, report=report, title="imgbuild publish")
    return _publish(request, (choose_renderer(progress), choose_uploads(progress)), outputs)


def _dry_run(request: PublishRequest) -> int:
    """Every ref and why, building and contacting nothing."""
    from builder.publish_plan import dry_run_lines
    from builder.release import plan_release

    click.echo("\n".join(dry_run_lines(plan_release(request))))
    return int(ExitCode.OK)


def _publish(request: PublishRequest, views: tuple[Emit, UploadsView], outputs: RunOutputs) -> int:
    """Build, push and write the outputs; the exit code, or the push's error raised."""
    from builder.cli.outputs import write_outputs
    from builder.release import publish_project
    from builder.timeline import Recorder

    startup_done()

    renderer, uploads = views
    recorder = Recorder(renderer)

    def show(row: RefResult) -> None:
        recorder.pushed(row)
        uploads(row)
        uploads.say(_line(row))

    def progress(event: PushEvent) -> None:
        recorder.uploading(event)  # the report's pushed bars say what each push uploaded
        uploads(event)

    try:
        release = publish_project(request, recorder, show, uploads.say, progress)
    finally:
        uploads.close()
    if release.published is None:
        return _build_failed(release, outputs, recorder)
    results = release.built.results
    write_outputs(outputs, release.graph, results, recorder, sys.stdout, release.published.results)
    if release.published.error is None:
        click.echo(release.published.summary())
        return int(ExitCode.OK)
    click.echo("\n".join(release.published.table()), err=True)
    raise release.published.error


def _build_failed(release: Release, outputs: RunOutputs, recorder: Recorder) -> int:
    from builder.cli.outputs import write_outputs
    from builder.cli.summary import print_summary

    print_summary(release.built.results, sys.stderr)
    write_outputs(outputs, release.graph, release.built.results, recorder, sys.stderr)
    click.echo("imgbuild: error: the build failed; nothing was pushed", err=True)
    return int(ExitCode.INTERRUPTED if release.built.interrupted else ExitCode.FAILURE)


def _line(row: RefResult) -> str:
    digest = f"  {row.digest}" if row.digest else ""
    return f"{row.status.value:<10} {row.target.ref}{digest}  ({row.detail})"


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
    from builder.release import promote_image

    done = promote_image(
        config_file(ctx), overrides, image, (from_tag, to_tag), tuple(split_values(registries))
    )
    for promotion in done:
        click.echo(f"promoted {promotion.source} -> {promotion.target}  {promotion.digest}")
    return int(ExitCode.OK)
