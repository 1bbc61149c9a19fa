"""The names of lint's output formats: what `--format` offers and `formats.render` writes.

A module of its own, importing nothing, so the CLI's option table can name them without
loading the renderers.
"""

FORMATS = (
    "text",
    "json",
    "sarif",
    "github",
    "checkstyle",
    "codeclimate",
    "gitlab_codeclimate",
    "sonarqube",
)
