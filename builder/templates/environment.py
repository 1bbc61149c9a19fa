"""The Jinja environment every template renders in: sandboxed, strict, and honest about where.

Templates may come from any team's folder, so rendering is sandboxed (no attribute games reach
Python internals) and undefined variables are errors, never empty strings that would quietly
produce a broken Dockerfile. Every Jinja failure becomes a TemplateError naming the template
file and line it happened on, including lines inside a parent template reached by `extends`.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from builder.errors import TemplateError
from builder.templates.discovery import BUILTIN, TemplateRoot


class TemplateLoader(jinja2.BaseLoader):
    """Resolves `{% extends/include "NAME/FILE" %}` over the search roots.

    `builtin:NAME/FILE` looks only at the built-ins, which is how a team template called
    `python` extends the built-in `python` it shadows.
    """

    def __init__(self, roots: Sequence[TemplateRoot]) -> None:
        self.roots = tuple(roots)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        roots: Sequence[TemplateRoot] = self.roots
        name = template
        if template.startswith(f"{BUILTIN}:"):
            name = template.split(":", 1)[1]
            roots = [root for root in self.roots if root.is_builtin]
        pieces = split_template_path(name)  # refuses '..'
        for root in roots:
            path = root.path.joinpath(*pieces)
            # A link out of the template folder must not smuggle other files into the output.
            if path.is_file() and path.resolve().is_relative_to(root.path.resolve()):
                return path.read_text(encoding="utf-8"), str(path), _unchanged(path)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: Path) -> Callable[[], bool]:
    mtime = path.stat().st_mtime
    return lambda: path.stat().st_mtime == mtime


def exec_form(command: str) -> str:
    """`python -m app` -> `["python", "-m", "app"]`: a shell-like string as exec-form JSON."""
    return json.dumps(shlex.split(command))


def command_script(command: str, suffix: str) -> str:
    """The first word of a shell-like command ending in `suffix` ("" when none).

    `node --enable-source-maps dist/index.js` with ".js" -> `dist/index.js`: the file a start
    command runs, which a template's example must put there.
    """
    try:
        words = shlex.split(command)
    except ValueError:
        return ""
    return next((word for word in words[1:] if word.endswith(suffix)), "")


def make_environment(roots: Sequence[TemplateRoot]) -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        loader=TemplateLoader(roots),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Dockerfiles and configs, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["exec_form"] = exec_form
    environment.filters["command_script"] = command_script
    environment.filters["tojson"] = json.dumps  # plain JSON, not HTML-escaped
    return environment


def compile_file(environment: jinja2.Environment, path: Path, display: str) -> jinja2.Template:
    """Compile one template file under its real path, so errors can name it."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(f"cannot read the template file: {error}", path=path) from error
    try:
        code = environment.compile(source, name=display, filename=str(path))
    except jinja2.TemplateSyntaxError as error:
        raise _syntax_error(error, path) from error
    return environment.template_class.from_code(environment, code, environment.make_globals(None))


def render(
    template: jinja2.Template, context: Mapping[str, Any], path: Path, line: int | None = None
) -> str:
    """Render, turning any Jinja failure into a TemplateError at the failing file and line."""
    try:
        return template.render(dict(context))
    except jinja2.TemplateSyntaxError as error:
        raise _syntax_error(error, path) from error
    except jinja2.TemplateNotFound as error:
        where = _location(error.__traceback__, template.environment) or (path, line)
        raise TemplateError(
            f"template {error.name!r} not found",
            path=where[0],
            line=where[1],
            hint="extend a built-in as builtin:NAME/FILE, or another as NAME/FILE",
        ) from error
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as error:
        where = _location(error.__traceback__, template.environment) or (path, line)
        raise TemplateError(
            _describe(error),
            path=where[0],
            line=where[1],
            hint=_hint(error),
        ) from error


def render_string(
    environment: jinja2.Environment,
    text: str,
    context: Mapping[str, Any],
    path: Path,
    line: int | None = None,
) -> str:
    """Render a snippet (a default, a file name) that lives at `path`:`line`."""
    try:
        template = environment.from_string(text)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"template syntax error: {error.message}", path=path, line=line
        ) from error
    try:
        return template.render(dict(context))
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as error:
        raise TemplateError(_describe(error), path=path, line=line, hint=_hint(error)) from error


def _syntax_error(error: jinja2.TemplateSyntaxError, fallback: Path) -> TemplateError:
    return TemplateError(
        f"template syntax error: {error.message}",
        path=error.filename or fallback,
        line=error.lineno,
    )


def _describe(error: Exception) -> str:
    if isinstance(error, jinja2.UndefinedError):
        return f"undefined variable: {error.message}"
    if isinstance(error, jinja2.exceptions.SecurityError):
        return f"not allowed in a template: {error}"
    return f"template failed: {type(error).__name__}: {error}"


def _hint(error: Exception) -> str | None:
    if isinstance(error, jinja2.UndefinedError):
        return "declare it as a question in template.toml, or answer it with --set NAME=VALUE"
    return None


def _location(
    traceback: TracebackType | None, environment: jinja2.Environment
) -> tuple[Path, int] | None:
    """The innermost template frame of a render failure.

    Jinja rewrites tracebacks so that frames of template code carry the template's filename
    and line; the last such frame inside a template root is where the failure is.
    """
    loader = environment.loader
    roots = [root.path for root in loader.roots] if isinstance(loader, TemplateLoader) else []
    found: tuple[Path, int] | None = None
    while traceback is not None:
        filename = Path(traceback.tb_frame.f_code.co_filename)
        if any(filename.is_relative_to(root) for root in roots):
            found = (filename, traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
