"""Templates: scaffolding new services (`imgbuild new`/`update`) and templated Dockerfiles.

Modules: `manifest` (questions as data), `discovery` (where templates are found),
`environment` (the sandboxed, strict Jinja), `questions` (answers, prompts, validation),
`tree` (rendering a folder in memory, path checks), `record` (`.imgbuild-answers.toml`),
`scaffold` and `update` (the two commands' work), `image` (templated images of the graph).
"""

from __future__ import annotations

from builder.templates.image import RenderedDockerfile, render_image_dockerfile

__all__ = ["RenderedDockerfile", "render_image_dockerfile"]
