"""`imgbuild render IMAGE`: print the Dockerfile a templated image is built from."""

from __future__ import annotations

import click

from builder.errors import ExitCode, UsageError


@click.command("render")
@click.argument("image")
@click.pass_context
def render(ctx: click.Context, image: str) -> int:
    """Print the rendered Dockerfile of IMAGE (an image with template = ... in imgbuild.toml).

    The text is what `imgbuild build` builds and `imgbuild lint` checks; it is never written
    into the source tree.
    """
    from builder.config import find_config, load_config
    from builder.suggest import hint_for
    from builder.templates import render_image_dockerfile

    config = load_config(find_config(explicit=(ctx.obj or {}).get("config_file")))
    spec = config.images.get(image)
    if spec is None:
        raise UsageError(
            f"no image {image!r} in {config.path}", hint=hint_for(image, config.images, "images")
        )
    if spec.template is None:
        raise UsageError(
            f"image {image!r} is built from {spec.dockerfile}, not a template",
            path=config.path,
            hint="render only applies to images with template = ...",
        )
    click.echo(render_image_dockerfile(spec, config).text, nl=False)
    return int(ExitCode.OK)
