"""Where templates come from: team folders first, then the built-ins shipped with imgbuild.

A template is a folder holding a `template.toml`. Search order: `--template-dir` folders, the
config's `[templates] paths`, `IMGBUILD_TEMPLATE_PATH`, the built-ins. The first folder holding
a template of a name wins, so a team can shadow a built-in (and still extend it as
`builtin:NAME/FILE`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import builder
from builder.config import (
    Config,
    load_templates_section,
    missing_template_folder,
    template_folder,
)
from builder.errors import ConfigError, TemplateError
from builder.suggest import hint_for
from builder.templates.manifest import MANIFEST_NAME, Manifest, inherit, load_manifest

ENV_VAR = "IMGBUILD_TEMPLATE_PATH"
BUILTIN = "builtin"


@dataclass(frozen=True)
class TemplateRoot:
    """A folder of templates and why it is searched (shown by `new --list`)."""

    path: Path
    origin: str  # "builtin", "--template-dir", "IMGBUILD_TEMPLATE_PATH" or the config path

    @property
    def is_builtin(self) -> bool:
        return self.origin == BUILTIN


@dataclass(frozen=True)
class Template:
    name: str
    directory: Path
    root: TemplateRoot
    manifest: Manifest  # with the parent's questions merged in when it extends one
    parent: Template | None = None

    @property
    def source(self) -> str:
        """Where it comes from, as recorded in answers files: "builtin" or its folder."""
        return BUILTIN if self.root.is_builtin else str(self.root.path)


def builtin_root() -> TemplateRoot:
    """The built-ins: package data when installed, the repo's `templates/` when editable."""
    installed = Path(builder.__file__).parent / "builtin_templates"
    if installed.is_dir():
        return TemplateRoot(installed, BUILTIN)
    return TemplateRoot(Path(builder.__file__).parent.parent / "templates", BUILTIN)


def search_roots(
    template_dirs: Sequence[str | Path] = (),
    project: Sequence[TemplateRoot] = (),
    environ: Mapping[str, str] | None = None,
) -> tuple[TemplateRoot, ...]:
    """Every folder searched for templates, first match wins.

    `project` is the config's `[templates] paths` (see `config_roots`).
    """
    environ = os.environ if environ is None else environ
    roots: list[TemplateRoot] = []
    for directory in template_dirs:
        roots.append(_existing(Path(directory), "--template-dir"))
    roots.extend(project)
    for entry in environ.get(ENV_VAR, "").split(os.pathsep):
        if entry:
            roots.append(_existing(Path(entry), ENV_VAR))
    roots.append(builtin_root())
    return tuple(roots)


def config_roots(config: Config) -> list[TemplateRoot]:
    """`[templates] paths = [...]`, relative to the config file (checked when it loaded)."""
    roots = []
    for raw in config.templates.paths:
        # A config loaded without its paths checked (lint) may name a folder that is not there.
        missing = missing_template_folder(config.root, raw)
        if missing is not None:
            message, hint = missing
            raise ConfigError(
                f"templates.paths: {message}",
                path=config.path,
                line=config.line(["templates", "paths"]),
                hint=hint,
            )
        roots.append(TemplateRoot(template_folder(config.root, raw), str(config.path)))
    return roots


def _existing(path: Path, origin: str) -> TemplateRoot:
    resolved = path.expanduser().resolve()
    if not resolved.is_dir():
        raise TemplateError(
            f"template folder {str(path)!r} (from {origin}) does not exist",
            hint="name a folder that holds template folders",
        )
    return TemplateRoot(resolved, origin)


def iter_templates(roots: Sequence[TemplateRoot]) -> Iterator[Template]:
    """Every template in every root, in search order (shadowed ones included)."""
    for root in roots:
        if not root.path.is_dir():
            continue
        for directory in sorted(root.path.iterdir()):
            if (directory / MANIFEST_NAME).is_file():
                yield _load(directory, root, roots, ())


def find_template(name: str, roots: Sequence[TemplateRoot]) -> Template:
    """The first template called `name`; `builtin:NAME` skips the team folders."""
    return _find(name, roots, ())


def _find(name: str, roots: Sequence[TemplateRoot], chain: tuple[Path, ...]) -> Template:
    all_roots = roots
    wanted = name
    if name.startswith(f"{BUILTIN}:"):
        wanted = name.split(":", 1)[1]
        roots = [root for root in roots if root.is_builtin]
    if not wanted or "/" in wanted or "\\" in wanted or wanted in (".", ".."):
        raise TemplateError(f"{name!r} is not a template name", hint="see `imgbuild new --list`")
    for root in roots:
        directory = root.path / wanted
        if (directory / MANIFEST_NAME).is_file():
            return _load(directory, root, all_roots, chain)
    known = sorted({template.name for template in iter_templates(roots)})
    hint = hint_for(wanted, known, "templates")
    raise TemplateError(f"no template called {name!r}", hint=hint)


def _load(
    directory: Path, root: TemplateRoot, roots: Sequence[TemplateRoot], chain: tuple[Path, ...]
) -> Template:
    manifest = load_manifest(directory / MANIFEST_NAME)
    if manifest.extends is None:
        return Template(directory.name, directory, root, manifest)
    here = directory.resolve()
    if here in chain:
        raise TemplateError(
            f"template {directory.name!r} extends itself (through {manifest.extends!r})",
            path=manifest.path,
            hint=f'extend the built-in of that name with extends = "builtin:{directory.name}"',
        )
    parent = _find(manifest.extends, roots, (*chain, here))
    return Template(directory.name, directory, root, inherit(manifest, parent.manifest), parent)


def roots_for_config_file(path: Path) -> list[TemplateRoot]:
    """The `[templates] paths` of a config file, without validating its images.

    Scaffolding reads only this table: a config with a half-written image must not stop
    `imgbuild new` from adding another.
    """
    return config_roots(load_templates_section(path))
