"""imgbuild.toml -> a typed, validated `Config`: every section parsed at load into its record,
every problem of the file reported at once with its line, the file read once.

`model` holds the records, `locator` the line numbers, `validate` the typed checks, `images`
and `sections` the readers of each table, `load` finding, reading and `--set`.
"""

from __future__ import annotations

from builder.config.load import (
    ConfigProblems,
    apply_override,
    find_config,
    load_config,
    load_templates_section,
)
from builder.config.locator import KeyLocator
from builder.config.model import (
    BUILDERS,
    CONFIG_NAME,
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
