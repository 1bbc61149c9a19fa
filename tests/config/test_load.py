from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import find_config, load_config
from builder.errors import ConfigError
from tests.build.helpers import write_project

GOOD_FILES = {"base/Dockerfile": "FROM scratch\n", "api/Dockerfile": "FROM scratch\n"}

# (config text, expected line, expected text in the message)
BROKEN_CONFIGS = [
    (
        '[images.api]\ncontxt = "api"\n',
        2,
        "images.api.contxt: unknown key (did you mean 'context'?)",
    ),
    ('[images.api]\ndockerfile = "Dockerfile"\n', 1, "images.api.context: is required"),
    ('[images.api]\ncontext = "nope"\n', 2, "images.api.context: directory 'nope' does not exist"),
    ('[images.api]\ncontext = "api"\ndockerfile = "Missing"\n', 3, "no Dockerfile at"),
    ("[images.api]\ncontext = 5\n", 2, "images.api.context: must be a string, not an integer"),
    (
        '[images.api]\ncontext = "api"\ntags = "dev"\n',
        3,
        "images.api.tags: must be a list, not a string",
    ),
    ('[images.api]\ncontext = "api"\ntags = ["-bad"]\n', 3, "'-bad' is not a valid tag"),
    (
        '[images.api]\ncontext = "api"\nrepository = "Shop/API"\n',
        3,
        "'Shop/API' is not a valid repository name",
    ),
    (
        '[images.api]\ncontext = "api"\nargs = { PORT = [1] }\n',
        3,
        "images.api.args.PORT: must be a string, not a list",
    ),
    (
        '[images.api]\ncontext = "api"\ndepends_on = ["bsae"]\n',
        3,
        "names 'bsae', which is not an image of this config",
    ),
    (
        '[images.api]\ncontext = "api"\ndepends_on = ["api"]\n',
        3,
        "an image cannot depend on itself",
    ),
    (
        '[images.api]\ncontext = "api"\nbuilder = "kaniko"\n',
        3,
        "'kaniko' is not one of auto, classic, buildkit",
    ),
    (
        '[images.api]\ncontext = "api"\nnetwork = "bridge"\n',
        3,
        "'bridge' is not one of none, host, default",
    ),
    ('[imgaes.api]\ncontext = "api"\n', 1, "imgaes: unknown key (did you mean 'images'?)"),
    (
        '[images.api]\ncontext = "api"\n[images.api2]\ncontext = "api"\nrepository = "api"\n',
        3,
        "api:latest is also produced by image 'api'",
    ),
    ('[images.API]\ncontext = "api"\n', 1, "images.API: is not a valid image name"),
    (
        '[images.api]\ncontext = "api"\ntemplate = "python"\ndockerfile = "Dockerfile"\n',
        3,
        "either dockerfile or template",
    ),
    ('[images.api]\ncontext = "api"\nvars = { a = 1 }\n', 3, "vars are only used with template"),
    ('[images.api]\ncontext = "api"\nsecrets = { npmrc = "x" }\n', 3, "must be { file"),
    ("images = 3\n", 1, "images: must be a table of images"),
    ('[images.api\ncontext = "api"\n', 1, "not valid TOML"),
    ("", None, "no [images] table"),
]


@pytest.mark.parametrize(("text", "line", "expected"), BROKEN_CONFIGS)
def test_broken_config_is_reported_with_file_line_and_hint(
    tmp_path: Path, text: str, line: int | None, expected: str
) -> None:
    config_path = write_project(tmp_path, text, GOOD_FILES | {"api/Dockerfile": "FROM scratch\n"})
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    message = str(caught.value)
    assert expected in message
    first = message.splitlines()[0]
    assert first.startswith(f"{config_path}:{line}: " if line else f"{config_path}")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = '[images.api]\ncontxt = "api"\n\n[images.web]\ncontext = "web"\ntgas = []\n'
    config_path = write_project(tmp_path, text, {})
    with pytest.raises(ConfigError) as caught:
        load_config(config_path)
    lines = str(caught.value).splitlines()
    assert any("images.api.contxt: unknown key" in line for line in lines)
    assert any("images.web.tgas: unknown key (did you mean 'tags'?)" in line for line in lines)
    assert any("images.web.context: directory 'web' does not exist" in line for line in lines)


def test_valid_config_resolves_defaults(tmp_path: Path) -> None:
    text = '[images.base]\ncontext = "base"\n\n[images.api]\ncontext = "api"\nrepository = "shop/api"\ntags = ["dev", "dev"]\nargs = { PORT = 8080 }\n'
    config = load_config(write_project(tmp_path, text, GOOD_FILES))
    base, api = config.images["base"], config.images["api"]
    assert base.repository == "base" and base.tags == ("latest",)
    assert base.dockerfile == (tmp_path / "base" / "Dockerfile").resolve()
    assert api.refs == ("shop/api:dev",)
    assert dict(api.args) == {"PORT": "8080"}


def test_set_overrides_a_value_and_is_validated(tmp_path: Path) -> None:
    text = '[images.api]\ncontext = "api"\nargs = { PORT = "8080" }\n'
    path = write_project(tmp_path, text, GOOD_FILES)
    config = load_config(path, ["images.api.args.PORT=9090", 'images.api.tags=["a", "b"]'])
    assert config.images["api"].args["PORT"] == "9090"
    assert config.images["api"].tags == ("a", "b")
    with pytest.raises(ConfigError, match=r"images\.api\.contxt: unknown key"):
        load_config(path, ["images.api.contxt=x"])
    with pytest.raises(ConfigError, match="is not KEY=VALUE"):
        load_config(path, ["images.api.args.PORT"])


def test_config_is_found_in_a_parent_directory(tmp_path: Path) -> None:
    path = write_project(tmp_path, '[images.api]\ncontext = "api"\n', GOOD_FILES)
    nested = tmp_path / "api" / "deep"
    nested.mkdir()
    assert find_config(nested) == path
    with pytest.raises(ConfigError, match="config file not found"):
        find_config(explicit=tmp_path / "other.toml")
