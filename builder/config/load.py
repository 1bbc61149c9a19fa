"""Finding imgbuild.toml, reading it once, applying `--set` and building the `Config`.

Every problem in the file is collected and reported at once, each with the file, the line of the
key and what to do, before any work starts. `--set` overrides are applied to the parsed document
before validation, so they are checked exactly like the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from builder.config import images as image_tables
from builder.config import sections
from builder.config.locator import KeyLocator
from builder.config.model import Config, ImageSpec, TagRules
from builder.config.validate import Validator
from builder.errors import ConfigError

_TOP_LEVEL = ("images", "lint", "tags", "publish", "templates", "engines", "build", "cache")


def read_document(path: Path) -> tuple[dict[str, Any], KeyLocator]:
    """The parsed TOML of `path` and the locator of its text: the one read of the file."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read the config: {error.strerror}", path=path) from error
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"not UTF-8 text (byte {error.start} is {error.object[error.start]:#04x})",
            path=path,
            hint="save the config as UTF-8 text",
        ) from error
    return parse_document(path, text)


def parse_document(path: Path, text: str) -> tuple[dict[str, Any], KeyLocator]:
    """The parsed TOML of `text`, the config `path` holds (or will hold), and its locator."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"at line (\d+)", str(error))
        raise ConfigError(
            f"not valid TOML: {str(error).split(' (at line')[0]}",
            path=path,
            line=int(match.group(1)) if match else None,
            hint="fix the syntax",
        ) from error
    return document, KeyLocator(text)


def load_config(
    path: Path,
    overrides: Sequence[str] = (),
    *,
    check_paths: bool = True,
    text: str | None = None,
) -> Config:
    """Read, override and validate `path` (or `text`, a config not written there yet); raise
    one ConfigError listing every problem."""
    document, locator = read_document(path) if text is None else parse_document(path, text)
    for override in overrides:
        apply_override(document, override)
    validator = Validator(path, locator, check_paths=check_paths)
    config = _config(validator, document)
    if validator.problems:
        raise ConfigProblems(validator.problems)
    return config


def load_templates_section(path: Path) -> Config:
    """A config with only its `[templates]` read, for scaffolding next to half-written images."""
    document, locator = read_document(path)
    validator = Validator(path, locator, check_paths=False)
    templates = sections.templates(validator, validator.section(document, "templates"))
    if validator.problems:
        raise ConfigProblems(validator.problems)
    return Config(path=path, images={}, templates=templates, locator=locator)


class ConfigProblems(ConfigError):
    """Several config problems, one line each."""

    def __init__(self, problems: Sequence[ConfigError]) -> None:
        first = problems[0]
        super().__init__(first.message, path=first.path, line=first.line, hint=first.hint)
        self.problems = tuple(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def _config(v: Validator, document: Mapping[str, Any]) -> Config:
    v.unknown_keys(document, _TOP_LEVEL, [])
    images_table = document.get("images")
    if images_table is None:
        v.problem([], "no [images] table", "add at least one [images.NAME] with a context")
        images_table = {}
    elif not isinstance(images_table, dict):
        v.problem(["images"], "must be a table of images")
        images_table = {}
    tables = {name: v.section(document, name) for name in _TOP_LEVEL[1:]}
    tags = sections.tag_rules(v, tables["tags"], ["tags"], TagRules())
    build = sections.build(v, tables["build"])
    cache = sections.cache(v, tables["cache"], ["cache"], None) if tables["cache"] else None
    images: dict[str, ImageSpec] = {}
    for name, table in images_table.items():
        spec = image_tables.image(v, name, table, tags, build, cache)
        if spec is not None:
            images[name] = spec
    engines = sections.engines(v, tables["engines"])
    image_tables.cross_checks(v, list(images_table), images, engines)
    return Config(
        path=v.path,
        images=MappingProxyType(images),
        lint=sections.lint(v, tables["lint"]),
        tags=tags,
        publish=sections.publish(v, tables["publish"]),
        templates=sections.templates(v, tables["templates"]),
        engines=engines,
        build=build,
        cache=cache,
        locator=v.locator,
    )


def apply_override(document: dict[str, Any], override: str) -> None:
    """Apply `a.b.c=VALUE` to the parsed document; VALUE is read as TOML, else as a string."""
    key, sep, raw_value = override.partition("=")
    parts = [part.strip() for part in key.split(".")]
    if not sep or not all(parts):
        raise ConfigError(
            f"--set {override!r} is not KEY=VALUE",
            hint="write it like --set images.api.args.PORT=9090",
        )
    try:
        value: Any = tomllib.loads(f"v = {raw_value}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw_value
    node = document
    for part in parts[:-1]:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(
                f"--set {key}: {part!r} is not a table",
                hint="override a key inside a table, such as images.NAME.KEY",
            )
        node = child
    node[parts[-1]] = value
