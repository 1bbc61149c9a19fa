"""Templated images: `template = "NAME"` with `vars = {...}` in imgbuild.toml.

The Dockerfile is rendered in memory for the build and the linter; it is never written into the
source tree. Every error names the template file and line, and the config key that chose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from builder.config import Config, ImageSpec
from builder.errors import TemplateError
from builder.templates.detect import HAS_CODE
from builder.templates.discovery import Template, config_roots, find_template, search_roots
from builder.templates.environment import compile_file, make_environment, render
from builder.templates.questions import AnswerError, resolve_answers, with_variables


@dataclass(frozen=True)
class RenderedDockerfile:
    text: str
    template_path: Path  # the Dockerfile template file that was rendered
    template: str  # the template's name, as the config wrote it


def render_image_dockerfile(spec: ImageSpec, config: Config) -> RenderedDockerfile:
    """The Dockerfile of a templated image, rendered with its vars (and `name` = the image)."""
    if spec.template is None:
        raise TemplateError(
            f"image {spec.name!r} has no template",
            path=config.path,
            hint=f"it builds {spec.dockerfile}; only images with template = ... are rendered",
        )
    chosen = f"images.{spec.name}.template in {config.path}"
    line = config.line(["images", spec.name, "template"])
    if line is not None:
        chosen += f":{line}"
    try:
        roots = search_roots(project=config_roots(config))
        template = find_template(spec.template, roots)
    except TemplateError as error:
        raise TemplateError(
            f"images.{spec.name}.template: {error.message}",
            path=config.path,
            line=line,
            hint=error.hint,
        ) from error
    environment = make_environment(roots)
    answers = _answers(spec, config, template, environment)
    path = template.directory / template.manifest.dockerfile
    if not path.is_file():
        raise TemplateError(
            f"template {template.name!r} has no {template.manifest.dockerfile}",
            path=template.manifest.path,
            hint=f"add it, or set dockerfile = ... in the manifest ({chosen})",
        )
    try:
        display = f"{template.name}/{template.manifest.dockerfile}"
        compiled = compile_file(environment, path, display)
        context = with_variables(template.manifest, {"name": spec.name, **answers}, environment)
        text = render(compiled, context, path)
    except TemplateError as error:
        hint = f"{error.hint}; " if error.hint else ""
        raise TemplateError(
            error.message, path=error.path, line=error.line, hint=f"{hint}chosen by {chosen}"
        ) from error
    return RenderedDockerfile(text=text, template_path=path, template=spec.template)


def _answers(
    spec: ImageSpec, config: Config, template: Template, environment: SandboxedEnvironment
) -> dict[str, Any]:
    """The image's vars as the template's answers; a bad one names its key in the config."""
    given = dict(spec.vars)
    if template.manifest.question("name") is not None:
        given.setdefault("name", spec.name)
    if spec.builder == "classic" and template.manifest.question("cache_mounts") is not None:
        # Cache mounts need BuildKit; an image pinned to the classic builder must not get them.
        given.setdefault("cache_mounts", False)
    try:
        return resolve_answers(
            template.manifest,
            given,
            environment,
            # The image's context holds its code: no example is rendered for it.
            extra={"name": spec.name, "dest_name": spec.name, HAS_CODE: True},
        )
    except AnswerError as error:
        key = ["images", spec.name, "vars", error.question]
        raise TemplateError(
            f"images.{spec.name}.vars: {error.message}",
            path=config.path,
            line=config.line(key),
            hint=f"set it in vars = {{ {error.question} = ... }}" if error.missing else error.hint,
        ) from error
