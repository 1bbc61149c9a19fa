"""Templated images: `template = "NAME"` + `vars` in imgbuild.toml, rendered for the build,
the linter and `imgbuild render`; errors point at the template and at the config key."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import load_config
from builder.errors import ConfigError, TemplateError
from builder.templates import RenderedDockerfile, render_image_dockerfile
from tests.templates.helpers import imgbuild, write_template

CONFIG = """\
# services
[templates]
paths = ["tpl"]

[images.web]
context = "."
template = "python"
vars = { server = "stdlib", port = 9000 }

[images.team]
context = "."
template = "team"
vars = { owner = "payments" }
"""
TEAM_MANIFEST = '[[questions]]\nname = "owner"\n'


def _project(tmp_path: Path, config: str = CONFIG, team_dockerfile: str | None = None) -> Path:
    write_template(tmp_path / "tpl", "team", TEAM_MANIFEST, {
        "Dockerfile.j2": team_dockerfile or "FROM scratch\nLABEL owner={{ owner }} image={{ name }}\n",
    })  # fmt: skip
    (tmp_path / "imgbuild.toml").write_text(config)
    return tmp_path / "imgbuild.toml"


def test_renders_builtin_with_vars_and_name(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    rendered = render_image_dockerfile(config.images["web"], config)
    assert isinstance(rendered, RenderedDockerfile)
    assert rendered.template == "python"
    assert rendered.template_path.name == "Dockerfile.j2"
    assert rendered.text.startswith("# web: a Python web service (stdlib).\n")
    assert "EXPOSE 9000\n" in rendered.text
    assert 'CMD ["python3", "app.py"]\n' in rendered.text


def test_renders_team_template_from_config_paths(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    rendered = render_image_dockerfile(config.images["team"], config)
    assert rendered.text == "FROM scratch\nLABEL owner=payments image=team\n"
    assert rendered.template_path == (tmp_path / "tpl" / "team" / "Dockerfile.j2").resolve()


def test_render_error_names_template_line_and_config_key(tmp_path: Path) -> None:
    path = _project(tmp_path, team_dockerfile="FROM scratch\n\nLABEL a={{ missing }}\n")
    config = load_config(path)
    with pytest.raises(TemplateError) as caught:
        render_image_dockerfile(config.images["team"], config)
    error = caught.value
    assert error.path == (tmp_path / "tpl" / "team" / "Dockerfile.j2").resolve()
    assert error.line == 3
    assert f"chosen by images.team.template in {path}:12" in str(error)


def test_unknown_template_points_at_the_config_key(tmp_path: Path) -> None:
    path = _project(tmp_path, CONFIG.replace('template = "team"', 'template = "teem"'))
    config = load_config(path)
    with pytest.raises(TemplateError) as caught:
        render_image_dockerfile(config.images["team"], config)
    assert (caught.value.path, caught.value.line) == (path, 12)
    assert str(caught.value).endswith(
        "images.team.template: no template called 'teem' (did you mean 'team'?)"
    )


@pytest.mark.parametrize(
    ("vars_line", "message"),
    [
        (
            "vars = { }",
            "images.team.vars: question 'owner' has no answer and no default "
            "(set it in vars = { owner = ... })",
        ),
        ('vars = { owner = "x", ownr = "y" }', "the template has no question 'ownr'"),
    ],
)
def test_bad_vars_point_at_the_config(tmp_path: Path, vars_line: str, message: str) -> None:
    path = _project(tmp_path, CONFIG.replace('vars = { owner = "payments" }', vars_line))
    config = load_config(path)
    with pytest.raises(TemplateError) as caught:
        render_image_dockerfile(config.images["team"], config)
    assert caught.value.path == path
    assert caught.value.line == 13
    assert message in str(caught.value)


def test_invalid_var_is_validated_like_an_answer(tmp_path: Path) -> None:
    path = _project(tmp_path, CONFIG.replace("port = 9000", "port = 0"))
    config = load_config(path)
    with pytest.raises(TemplateError) as caught:
        render_image_dockerfile(config.images["web"], config)
    assert (caught.value.path, caught.value.line) == (path, 8)
    assert "answer to 'port': 0 is not a port (1-65535)" in str(caught.value)


def test_bad_templates_table_is_a_config_error(tmp_path: Path) -> None:
    path = _project(tmp_path, CONFIG.replace('paths = ["tpl"]', 'paths = ["nowhere"]'))
    with pytest.raises(ConfigError) as caught:
        load_config(path)  # checked at load, before any work
    assert (caught.value.path, caught.value.line) == (path, 3)
    assert "folder 'nowhere' does not exist" in str(caught.value)
    config = load_config(path, check_paths=False)  # as lint loads it: checked when rendering
    with pytest.raises(ConfigError) as caught:
        render_image_dockerfile(config.images["web"], config)
    assert (caught.value.path, caught.value.line) == (path, 3)
    assert "folder 'nowhere' does not exist" in str(caught.value)


def test_render_command_prints_the_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    outcome = imgbuild(capsys, tmp_path, "render", "team")
    assert (outcome.code, outcome.out) == (0, "FROM scratch\nLABEL owner=payments image=team\n")


def test_render_command_uses_the_f_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    outcome = imgbuild(capsys, elsewhere, "-f", str(path), "render", "web")
    assert outcome.code == 0
    assert "EXPOSE 9000" in outcome.out


def test_render_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path, CONFIG + '\n[images.plain]\ncontext = "."\n')
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    unknown = imgbuild(capsys, tmp_path, "render", "wbe")
    assert unknown.code == 2
    assert "no image 'wbe'" in unknown.err and "did you mean 'web'?" in unknown.err
    plain = imgbuild(capsys, tmp_path, "render", "plain")
    assert plain.code == 2
    assert "not a template" in plain.err
