"""Adding an image to imgbuild.toml keeps everything else exactly as it was."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from builder.errors import ConfigError
from builder.toml_edit import with_image
from tests.templates.helpers import imgbuild

HANDWRITTEN = """\
# Our images. Keep this comment.
[lint]
ignore = ["DL3008"]  # we pin elsewhere

[images.web]
context = "web"   # the site
tags = ["latest", "1"]
"""


def test_adds_an_image_and_keeps_comments_and_layout() -> None:
    text = with_image(HANDWRITTEN, "api", {"context": "services/api"}, Path("imgbuild.toml"))
    assert text == HANDWRITTEN + '\n[images.api]\ncontext = "services/api"\n'


def test_an_image_already_there_as_wanted_changes_nothing() -> None:
    assert with_image(HANDWRITTEN, "web", {"context": "web"}, Path("x")) is None


def test_an_image_of_that_name_elsewhere_is_a_conflict() -> None:
    with pytest.raises(ConfigError, match=r"images\.web already exists with other settings"):
        with_image(HANDWRITTEN, "web", {"context": "other"}, Path("x"))


def test_invalid_toml_is_reported_not_rewritten() -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        with_image("[images\n", "a", {"context": "."}, Path("x"))


def test_a_new_config_is_created_with_the_image() -> None:
    text = with_image(None, "api", {"context": "."}, Path("x"))
    assert text is not None
    assert text.startswith("# imgbuild configuration")
    assert tomllib.loads(text) == {"images": {"api": {"context": "."}}}


def test_new_adds_to_the_nearest_config_above_dest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "imgbuild.toml").write_text(HANDWRITTEN)
    (tmp_path / "services").mkdir()
    outcome = imgbuild(capsys, tmp_path / "services", "new", "go", "api", "--no-input")
    assert outcome.code == 0, outcome.err
    assert outcome.out.endswith("added the image to ../imgbuild.toml\n")
    text = (tmp_path / "imgbuild.toml").read_text()
    assert text == HANDWRITTEN + '\n[images.api]\ncontext = "services/api"\n'


def test_new_refuses_an_image_name_in_use_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "imgbuild.toml").write_text(HANDWRITTEN)
    outcome = imgbuild(capsys, tmp_path, "new", "go", "svc", "--no-input", "--set", "name=web")
    assert outcome.code == 2
    assert "images.web already exists with other settings" in outcome.err
    assert not (tmp_path / "svc").exists()
    assert (tmp_path / "imgbuild.toml").read_text() == HANDWRITTEN


def test_new_with_f_uses_that_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "conf" / "images.toml"
    config.parent.mkdir()
    outcome = imgbuild(capsys, tmp_path, "-f", str(config), "new", "go", "svc", "--no-input")
    assert outcome.code == 0, outcome.err
    assert tomllib.loads(config.read_text())["images"]["svc"] == {"context": "../svc"}
    assert not (tmp_path / "imgbuild.toml").exists()
