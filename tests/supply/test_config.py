"""`[publish] sign_key`, `sbom` and `provenance`: typed fields of the publish section."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import PublishSection, load_config
from builder.errors import ConfigError
from tests.build.helpers import write_project

FILES = {"api/Dockerfile": "FROM scratch\n"}
IMAGES = '[images.api]\ncontext = "api"\n\n'


def test_sign_key_and_sbom_are_read(tmp_path: Path) -> None:
    text = IMAGES + '[publish]\nregistries = ["r.example"]\nsign_key = "env:K"\nsbom = true\n'
    config = load_config(write_project(tmp_path, text, FILES))
    assert config.publish == PublishSection(registries=("r.example",), sign_key="env:K", sbom=True)
    assert config.publish.provenance is True and config.publish.sbom_format == "spdx"


def test_sbom_format_cyclonedx_is_read(tmp_path: Path) -> None:
    text = IMAGES + '[publish]\nsbom_format = "cyclonedx"\n'
    assert load_config(write_project(tmp_path, text, FILES)).publish.sbom_format == "cyclonedx"


def test_provenance_can_be_turned_off(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, IMAGES + "[publish]\nprovenance = false\n", FILES))
    assert config.publish.provenance is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sign_key = 3", "publish.sign_key: must be a string"),
        ('sbom = "yes"', "publish.sbom: must be"),
        ("provenance = 1", "publish.provenance: must be"),
        ('sbom_format = "swid"', "publish.sbom_format: 'swid' is not one of spdx, cyclonedx"),
        ("signkey = 'x'", "publish.signkey: unknown key"),
    ],
)
def test_bad_values_are_config_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write_project(tmp_path, IMAGES + f"[publish]\n{body}\n", FILES))
