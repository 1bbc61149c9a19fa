"""`platforms` of an image, `[build] platforms`, `emulation`, and an engine's `platforms`."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import load_config
from builder.config.load import ConfigProblems
from builder.platforms import Platform
from tests.build.helpers import write_project

FILES = {"api/Dockerfile": "FROM scratch\n", "web/Dockerfile": "FROM scratch\n"}
AMD64, ARM64 = Platform("linux", "amd64"), Platform("linux", "arm64")


def test_an_image_takes_its_platforms_else_the_build_default(tmp_path: Path) -> None:
    text = """\
[build]
platforms = ["linux/amd64", "linux/arm64"]

[images.api]
context = "api"

[images.web]
context = "web"
platforms = ["linux/aarch64"]
emulation = false
"""
    config = load_config(write_project(tmp_path, text, FILES))
    assert config.build.platforms == (AMD64, ARM64)
    assert config.images["api"].platforms == (AMD64, ARM64)
    assert config.images["api"].emulation is True
    assert config.images["web"].platforms == (ARM64,)  # normalised, as BuildKit does
    assert config.images["web"].emulation is False


def test_no_platforms_means_the_engines_own(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, '[images.api]\ncontext = "api"\n', FILES))
    assert config.images["api"].platforms == ()
    assert config.build.platforms == ()


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ('["linux/sparc"]', "'linux/sparc': unknown architecture 'sparc'", "known: amd64"),
        ('["arm64"]', "'arm64' is not a platform", "OS/ARCHITECTURE"),
        ('["linux/arm64/v7"]', "arm64 has no variant 'v7'", "its variants: v8"),
        ("[]", "is empty", "name at least one platform"),
        ('"linux/amd64"', "must be", None),
    ],
)
def test_a_bad_platform_is_a_config_error_on_its_line(
    tmp_path: Path, value: str, message: str, hint: str | None
) -> None:
    text = f'[images.api]\ncontext = "api"\nplatforms = {value}\n'
    with pytest.raises(ConfigProblems) as raised:
        load_config(write_project(tmp_path, text, FILES))
    problem = raised.value.problems[0]
    assert problem.line == 3
    assert "images.api.platforms" in str(problem)
    assert message in problem.message
    if hint is not None:
        assert problem.hint is not None and hint in problem.hint


def test_build_section_keys_are_checked(tmp_path: Path) -> None:
    text = '[build]\nplatform = ["linux/amd64"]\n\n[images.api]\ncontext = "api"\n'
    with pytest.raises(ConfigProblems) as raised:
        load_config(write_project(tmp_path, text, FILES))
    assert raised.value.problems[0].line == 2
    assert "platform" in str(raised.value.problems[0])


def test_an_engine_declares_what_it_builds(tmp_path: Path) -> None:
    text = """\
[images.api]
context = "api"

[engines.hosts.arm]
url = "tcp://127.0.0.1:2375"
platforms = ["linux/arm64", "linux/arm/v7"]
"""
    config = load_config(write_project(tmp_path, text, FILES))
    (host,) = config.engines.hosts
    assert host.platforms == (ARM64, Platform("linux", "arm", "v7"))
