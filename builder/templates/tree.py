"""Rendering a template folder into files, in memory, with every output path checked.

Nothing is written here: the scaffold renders everything first and writes only when all of it
rendered, so a broken template or a bad answer never leaves a half-made service. File names may
hold Jinja (`{{ module }}/main.py.j2`); a name part that renders empty drops the file, which is
how templates make files optional. `.j2` files are rendered, others are copied byte for byte.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from builder.errors import TemplateError
from builder.files import write_atomically
from builder.templates.discovery import Template
from builder.templates.environment import compile_file, render, render_string
from builder.templates.manifest import MANIFEST_NAME
from builder.templates.questions import is_relative_path, with_variables

JINJA_SUFFIX = ".j2"
_NEVER_OUTPUT = ("__pycache__", "*.pyc", ".DS_Store")


@dataclass(frozen=True)
class RenderedFile:
    relative: str  # POSIX path inside the destination
    content: bytes
    executable: bool
    source: Path  # the template file it came from

    @property
    def digest(self) -> str:
        return content_digest(self.content)


def content_digest(content: bytes) -> str:
    return "sha256:" + hashlib.sha256(content).hexdigest()


def template_files(template: Template) -> Iterator[tuple[str, Path]]:
    """(relative POSIX path, file) for every file of the template that may be output.

    A template that extends another gets the parent's files too; its own replace same-named
    ones, and its `exclude` applies to the inherited ones as well.
    """
    files = dict(template_files(template.parent)) if template.parent else {}
    files.update(_own_files(template))
    for relative, path in sorted(files.items()):
        if not _excluded(relative, template.manifest.exclude):
            yield relative, path


def _own_files(template: Template) -> Iterator[tuple[str, Path]]:
    base = template.directory.resolve()
    for directory, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            relative = path.relative_to(base).as_posix()
            if relative == MANIFEST_NAME or _excluded(relative, ()):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(base):
                raise TemplateError(
                    "the template holds a link to a file outside the template",
                    path=path,
                    hint="templates may only output their own files",
                )
            yield relative, path


def _excluded(relative: str, patterns: tuple[str, ...]) -> bool:
    parts = relative.split("/")
    return any(
        fnmatch.fnmatch(relative, pattern) or any(fnmatch.fnmatch(p, pattern) for p in parts)
        for pattern in (*_NEVER_OUTPUT, *patterns)
    )


def render_tree(
    template: Template, answers: Mapping[str, Any], environment: SandboxedEnvironment
) -> tuple[RenderedFile, ...]:
    """Every output file of `template` rendered with `answers`, in path order."""
    answers = with_variables(template.manifest, answers, environment)
    rendered: dict[str, RenderedFile] = {}
    for relative, path in template_files(template):
        output = _output_name(relative, path, answers, environment)
        # `exclude` matches template file names and the names they render to.
        if output is None or _excluded(output, template.manifest.exclude):
            continue
        if output in rendered:
            raise TemplateError(
                f"two template files both render to {output!r}",
                path=path,
                hint=f"the other is {rendered[output].source}",
            )
        if relative.endswith(JINJA_SUFFIX):
            compiled = compile_file(environment, path, f"{template.name}/{relative}")
            content = render(compiled, answers, path).encode("utf-8")
        else:
            content = path.read_bytes()
        executable = os.access(path, os.X_OK)
        rendered[output] = RenderedFile(output, content, executable, path)
    return tuple(rendered[key] for key in sorted(rendered))


def _output_name(
    relative: str, path: Path, answers: Mapping[str, Any], environment: SandboxedEnvironment
) -> str | None:
    name = relative.removesuffix(JINJA_SUFFIX)
    parts: list[str] = []
    for part in name.split("/"):
        if "{{" in part or "{%" in part:
            part = render_string(environment, part, answers, path).strip()
            if not part:
                return None
        parts.append(part)
    output = "/".join(parts)
    # Check the raw parts: PurePosixPath would quietly turn "a//tmp/x" into "a/tmp/x".
    if not is_relative_path(output) or any(p in ("", ".", "..") for p in output.split("/")):
        raise TemplateError(
            f"the file name renders to {output!r}, which is outside the destination",
            path=path,
            hint="file names and the answers used in them must be relative paths without '..'",
        )
    return PurePosixPath(output).as_posix()


def safe_target(dest: Path, relative: str, source: Path | None = None) -> Path:
    """`dest/relative`, refusing absolute paths, `..` and links that lead out of `dest`."""
    if not is_relative_path(relative):
        raise TemplateError(
            f"{relative!r} is outside the destination", path=source, hint="use a relative path"
        )
    root = dest.resolve()
    target = root / relative
    if not target.resolve().is_relative_to(root):
        raise TemplateError(
            f"{relative!r} leads outside {dest} through a link",
            path=source,
            hint="remove the link, or choose another destination",
        )
    return target


def write_file(target: Path, content: bytes, executable: bool) -> None:
    """Write a rendered file with the template's executable bit, whatever the umask."""
    write_atomically(target, content, mode=0o755 if executable else 0o644)
