"""`[cache]`, an image's `cache` over it, and --cache-registry / --no-remote-cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import CacheOverride
from builder.config import load_config
from builder.config.load import ConfigProblems
from builder.config.model import CacheSettings
from builder.errors import UsageError
from tests.build.helpers import write_project

FILES = {"api/Dockerfile": "FROM scratch\n", "web/Dockerfile": "FROM scratch\n"}
TWO = '[images.api]\ncontext = "api"\n\n[images.web]\ncontext = "web"\n'


def test_images_take_the_cache_section_or_their_own(tmp_path: Path) -> None:
    text = (
        '[cache]\nregistry = "127.0.0.1:5000/cache"\n\n'
        + TWO.replace('context = "web"', 'context = "web"\ncache = { mode = "read" }')
        + '\n[images.docs]\ncontext = "api"\ncache = false\n'
    )
    config = load_config(write_project(tmp_path, text, FILES))
    assert config.cache == CacheSettings("127.0.0.1:5000/cache", "readwrite")
    assert config.images["api"].cache == config.cache
    assert config.images["web"].cache == CacheSettings("127.0.0.1:5000/cache", "read")
    assert config.images["docs"].cache is None


def test_no_cache_section_means_no_remote_cache(tmp_path: Path) -> None:
    config = load_config(write_project(tmp_path, TWO, FILES))
    assert config.cache is None and config.images["api"].cache is None


@pytest.mark.parametrize(
    ("section", "line", "message"),
    [
        ('[cache]\nregistry = "cache"\n', 2, "'cache' is not HOST[:PORT]/PREFIX"),
        ('[cache]\nregistry = "127.0.0.1:5000"\n', 2, "is not HOST[:PORT]/PREFIX"),
        ('[cache]\nregistry = "r.example/c"\nmode = "write"\n', 3, "'write' is not one of"),
        ('[cache]\nmode = "read"\n', 1, "is required"),
        ('[cache]\nregistry = "r.example/c"\npush = true\n', 3, "unknown key"),
    ],
)
def test_a_bad_cache_section_is_a_config_error_on_its_line(
    tmp_path: Path, section: str, line: int, message: str
) -> None:
    with pytest.raises(ConfigProblems) as raised:
        load_config(write_project(tmp_path, section + "\n" + TWO, FILES))
    problem = raised.value.problems[0]
    assert problem.line == line and message in problem.message


def test_the_command_line_overrides_every_image(tmp_path: Path) -> None:
    text = '[cache]\nregistry = "127.0.0.1:5000/cache"\nmode = "read"\n\n' + TWO
    config = load_config(write_project(tmp_path, text, FILES))
    moved = CacheOverride(registry="127.0.0.1:6000/ci").apply(config)
    assert moved.images["api"].cache == CacheSettings("127.0.0.1:6000/ci", "read")
    off = CacheOverride(disabled=True).apply(config)
    assert off.images["api"].cache is None and off.images["web"].cache is None
    with pytest.raises(UsageError, match="is not HOST"):
        CacheOverride(registry="nowhere").apply(config)
