"""imgbuild.toml -> a typed, validated `Config`: every section parsed at load into its record,
every problem of the file reported at once with its line, the file read once.

`model` holds the records, `locator` the line numbers, `validate` the typed checks, `images`
and `sections` the readers of each table, `load` reading and `--set`, `find` finding the file.

The names below are imported from their module on first use: `imgbuild lint` of one file looks
for imgbuild.toml on every run (`builder.config.find`) and must not pay for the loader, its
records and tomllib when there is none.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.config.find import CONFIG_NAME, find_config
    from builder.config.load import (
        ConfigProblems,
        apply_override,
        load_config,
        load_templates_section,
    )
    from builder.config.locator import KeyLocator
    from builder.config.model import (
        BUILDERS,
        ENGINE_SCHEMES,
        IMAGE_NAME_RE,
        NETWORKS,
        Config,
        EngineHost,
        EnginesConfig,
        ImageSpec,
        PublishSection,
        SecretSource,
        TagRules,
        TemplatesSection,
        TlsSettings,
    )
    from builder.config.sections import missing_template_folder, template_folder

# Each name of `__all__` -> the module of this package that defines it.
_EXPORTS: dict[str, str] = {
    "BUILDERS": "model",
    "CONFIG_NAME": "find",
    "ENGINE_SCHEMES": "model",
    "IMAGE_NAME_RE": "model",
    "NETWORKS": "model",
    "Config": "model",
    "ConfigProblems": "load",
    "EngineHost": "model",
    "EnginesConfig": "model",
    "ImageSpec": "model",
    "KeyLocator": "locator",
    "PublishSection": "model",
    "SecretSource": "model",
    "TagRules": "model",
    "TemplatesSection": "model",
    "TlsSettings": "model",
    "apply_override": "load",
    "find_config": "find",
    "load_config": "load",
    "load_templates_section": "load",
    "missing_template_folder": "sections",
    "template_folder": "sections",
}

__all__ = [
    "BUILDERS",
    "CONFIG_NAME",
    "ENGINE_SCHEMES",
    "IMAGE_NAME_RE",
    "NETWORKS",
    "Config",
    "ConfigProblems",
    "EngineHost",
    "EnginesConfig",
    "ImageSpec",
    "KeyLocator",
    "PublishSection",
    "SecretSource",
    "TagRules",
    "TemplatesSection",
    "TlsSettings",
    "apply_override",
    "find_config",
    "load_config",
    "load_templates_section",
    "missing_template_folder",
    "template_folder",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # once: later lookups are plain attribute reads
    return value
