"""`imgbuild build`: build the graph (or some images and what they need)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from builder.cli import startup_done
from builder.cli.options import options
from builder.cli.values import config_file, parse_pairs, parse_platforms, split_values
from builder.errors import ExitCode

if TYPE_CHECKING:
    from builder.cli.outputs import RunOutputs
    from builder.graph import Graph
    from builder.scheduler import RunResult
    from builder.timeline import Recorder


@click.command()
@click.argument("images", nargs=-1)
@options(
    "jobs",
    "keep_going",
    "no_cache",
    "builder",
    "print_plan",
    "progress",
    "metadata_file",
    "junit",
    "report",
    "engines",
    "overrides",
    "build_args",
    "platforms",
    "cache_registry",
    "no_remote_cache",
)
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
    junit: Path | None,
    report: Path | None,
    engines: tuple[str, ...],
    overrides: tuple[str, ...],
    build_args: tuple[str, ...],
    platforms: tuple[str, ...],
    cache_registry: str | None,
    no_remote_cache: bool,
) -> int:
    """Build IMAGES (default: all) in dependency order, skipping what has not changed."""
    from builder.build import CacheOverride, default_jobs, open_session
    from builder.cli.outputs import RunOutputs
    from builder.cli.progress import choose_renderer
    from builder.plan_output import plan_json, plan_lines
    from builder.scheduler import RunOptions
    from builder.timeline import Recorder

    startup_done()
    session = open_session(
        config_file(ctx),
        overrides=overrides,
        build_args=parse_pairs(build_args, "--build-arg"),
        images=images,
        engine_urls=split_values(engines),
        platforms=parse_platforms(platforms),
        cache=CacheOverride(cache_registry, no_remote_cache),
        builder=builder,
        on_warning=_warn,
    )
    plan = session.plan(no_cache=no_cache)
    if print_plan:
        if progress == "json":
            click.echo(plan_json(plan))
        else:
            click.echo("\n".join(plan_lines(plan)))
        return int(ExitCode.OK)
    options = RunOptions(jobs=jobs or default_jobs(), keep_going=keep_going, no_cache=no_cache)
    recorder = Recorder(choose_renderer(progress))
    result = session.run(plan, options, recorder)
    stream = sys.stderr if progress == "json" else sys.stdout
    _report(result, session.graph, recorder, stream, metadata_file, RunOutputs(junit, report))
    if result.interrupted:
        return int(ExitCode.INTERRUPTED)
    return int(ExitCode.FAILURE if result.failed else ExitCode.OK)


def _report(
    result: RunResult,
    graph: Graph,
    recorder: Recorder,
    stream: TextIO,
    metadata_file: Path | None,
    outputs: RunOutputs,
) -> None:
    """The metadata file, the summary and the files asked for (JUnit, HTML report, CI)."""
    from builder.cli.outputs import write_outputs
    from builder.cli.summary import print_summary
    from builder.report import metadata, write_json_atomically

    if metadata_file is not None:
        write_json_atomically(metadata_file, metadata(result.results, result.engines_down))
    print_summary(
        result.results, stream, engines=result.pool_size > 1, engines_down=result.engines_down
    )
    write_outputs(outputs, graph, result.results, recorder, stream)


def _warn(text: str) -> None:
    """What the run goes on without (the remote cache), said on stderr as it happens."""
    click.echo(f"imgbuild: warning: {text}", err=True)
