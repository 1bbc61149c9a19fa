"""Every section of imgbuild.toml is read at load into its typed, frozen record."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from builder.config import (
    PublishSection,
    TagRules,
    TemplatesSection,
    load_config,
    load_templates_section,
)
from builder.errors import ConfigError
from builder.lint.model import Severity
from builder.lint.settings import PartialSettings
from tests.build.helpers import write_project

FILES = {"api/Dockerfile": "FROM scratch\n", "web/Dockerfile": "FROM scratch\n", "tpl/.keep": ""}

FULL = """\
[images.api]
context = "api"
tag_rules = { sha = false, raw = ["nightly"] }

[images.web]
context = "web"

[tags]
branch = false
sha_length = 10
raw = ["edge"]

[publish]
registries = ["127.0.0.1:5000/team", "registry.example"]

[templates]
paths = ["tpl"]

[lint]
ignore = ["DL3008"]
severity = { DL3007 = "error" }
failure_threshold = "none"
strict_labels = true
"""


def test_every_section_is_a_typed_record(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, FULL, FILES))
    assert config.tags == TagRules(branch=False, sha_length=10, raw=("edge",))
    assert config.publish == PublishSection(registries=("127.0.0.1:5000/team", "registry.example"))
    assert config.templates == TemplatesSection(paths=("tpl",))
    assert config.lint == PartialSettings(
        ignored=frozenset({"DL3008"}),
        severity={"DL3007": Severity.ERROR},
        failure_threshold="none",
        strict_labels=True,
    )


def test_an_images_tag_rules_are_the_global_ones_with_its_own_over_them(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, FULL, FILES))
    assert config.images["api"].tag_rules == TagRules(
        sha=False, branch=False, sha_length=10, raw=("nightly",)
    )
    assert config.images["web"].tag_rules is None  # [tags] as it is


def test_absent_sections_are_their_defaults(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, '[images.api]\ncontext = "api"\n', FILES))
    assert (config.tags, config.publish, config.templates) == (
        TagRules(),
        PublishSection(),
        TemplatesSection(),
    )
    assert config.lint == PartialSettings()


def test_records_are_frozen(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, FULL, FILES))
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.path = Path()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.tags.sha = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.publish.registries = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.templates.paths = ()  # type: ignore[misc]


def test_the_config_keeps_the_lines_of_the_text_it_loaded(tmp_path: Path) -> None:
    path = write_project(tmp_path, FULL, FILES)
    config = load_config(path)
    path.write_text("")  # changed on disk after loading: lines still those of what was loaded
    assert config.line(["publish", "registries"]) == 14
    assert config.line(["images", "api", "tag_rules"]) == 3


def test_templates_section_alone_ignores_half_written_images(tmp_path: Path) -> None:
    path = write_project(tmp_path, '[images.api]\ncontxt = 1\n[templates]\npaths = ["tpl"]\n', {})
    assert load_templates_section(path).templates == TemplatesSection(paths=("tpl",))
    path.write_text("[templates]\npaths = 3\n")
    with pytest.raises(ConfigError) as caught:
        load_templates_section(path)
    assert str(caught.value).startswith(f"{path}:2: templates.paths: must be a list of folders")
