"""`imgbuild graph`: print the image graph."""

from __future__ import annotations

from pathlib import Path

import click

from builder.cli.options import options
from builder.cli.values import config_file, parse_pairs


@click.command()
@click.argument("images", nargs=-1)
@options("graph.format", "graph.metadata", "overrides", "build_args")
@click.pass_context
def graph(
    ctx: click.Context,
    images: tuple[str, ...],
    output_format: str,
    metadata: Path | None,
    overrides: tuple[str, ...],
    build_args: tuple[str, ...],
) -> None:
    """Print the graph of IMAGES (default: all): order, edges and why each edge exists.

    svg and png are drawn by Graphviz (apt-get install graphviz); png is binary: redirect it.
    """
    from builder.build import load_graph
    from builder.graph_output import FORMATS, as_dot, as_mermaid
    from builder.graphviz import DRAWN_FORMATS, draw
    from builder.report import read_statuses

    _, image_graph = load_graph(
        config_file(ctx),
        overrides=overrides,
        build_args=parse_pairs(build_args, "--build-arg"),
        images=images,
    )
    statuses = read_statuses(metadata) if metadata is not None else None
    if output_format in DRAWN_FORMATS:
        drawing = draw(as_dot(image_graph, statuses), output_format)
        click.echo(drawing, nl=False)
    elif output_format == "dot":
        click.echo(as_dot(image_graph, statuses))
    elif output_format == "mermaid":
        click.echo(as_mermaid(image_graph, statuses))
    else:
        click.echo(FORMATS[output_format](image_graph))
