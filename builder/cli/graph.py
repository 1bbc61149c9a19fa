"""`imgbuild graph`: print the image graph."""

from __future__ import annotations

import click

from builder.cli.options import config_file, options, parse_pairs


@click.command()
@click.argument("images", nargs=-1)
@options("graph.format", "overrides", "build_args")
@click.pass_context
def graph(
    ctx: click.Context,
    images: tuple[str, ...],
    output_format: str,
    overrides: tuple[str, ...],
    build_args: tuple[str, ...],
) -> None:
    """Print the graph of IMAGES (default: all): order, edges and why each edge exists."""
    from builder.build import load_graph
    from builder.graph_output import FORMATS

    _, image_graph = load_graph(
        config_file(ctx),
        overrides=overrides,
        build_args=parse_pairs(build_args, "--build-arg"),
        images=images,
    )
    click.echo(FORMATS[output_format](image_graph))
