"""`imgbuild graph`: print the image graph."""

from __future__ import annotations

import click

from builder.cli.options import build_arg_option, config_file, parse_pairs, set_option


@click.command()
@click.argument("images", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "dot", "mermaid", "json"]),
    default="text",
    show_default=True,
    envvar="IMGBUILD_GRAPH_FORMAT",
    help="Output format (env IMGBUILD_GRAPH_FORMAT).",
)
@set_option
@build_arg_option
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
