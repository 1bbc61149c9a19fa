"""Built-in templates and the builders: BuildKit cache mounts for package managers when the
`cache_mounts` answer is on (the default), plain steps for the classic builder when it is off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from builder.cli import run
from tests.build.helpers import write_project
from tests.templates.test_builtins import CASES

DEBIAN_IMAGE = "local/debian:12"
# The rules that ask for a package manager's cache to be cleaned in the same step.
CLEAN_THE_CACHE = {"DL3009", "DL3019", "DL3042", "DL3060"}


def uses_a_package_manager(template: str, answers: dict[str, Any]) -> bool:
    if template == "python":
        return bool(answers["server"] != "stdlib")
    if template == "static":
        return bool(answers["build"])
    return template in {"node", "go", "java"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_cache_mounts_follow_the_answer_and_quiet_the_clean_the_cache_rules(case: str) -> None:
    from builder.lint.runner import Linter
    from builder.lint.settings import LintSettings

    golden = Path(__file__).parent / "golden" / case
    template, given = CASES[case]
    text = (golden / "Dockerfile").read_text()
    answers = case_answers(given)
    wanted = uses_a_package_manager(template, answers) and answers.get("cache_mounts", True)
    assert ("RUN --mount=type=cache," in text) == wanted
    findings = Linter(LintSettings()).lint_text(text, f"{case}/Dockerfile")
    assert [f.code for f in findings if f.code in CLEAN_THE_CACHE] == []


def case_answers(given: dict[str, str]) -> dict[str, Any]:
    """The answers a case was scaffolded with: its --set values over the defaults that matter."""
    defaults = {"server": "gunicorn", "build": False, "cache_mounts": True}
    parsed = {key: {"true": True, "false": False}.get(value, value) for key, value in given.items()}
    return {**defaults, **parsed}


def render(
    tmp_path: Path, variables: str, capsys: pytest.CaptureFixture[str], extra: str = ""
) -> str:
    config = write_project(
        tmp_path,
        f'[images.svc]\ncontext = "svc"\nrepository = "t/svc"\ntemplate = "python"\n'
        f"vars = {{ {variables} }}\n{extra}",
        {"svc/requirements.txt": "", "svc/app.py": ""},
    )
    capsys.readouterr()
    assert run(["-f", str(config), "render", "svc"]) == 0
    return capsys.readouterr().out


def test_an_image_s_vars_turn_the_cache_mounts_of_a_templated_image_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    on = render(tmp_path / "on", 'installer = "pip"', capsys)
    assert "RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install" in on
    off = render(tmp_path / "off", 'installer = "pip", cache_mounts = false', capsys)
    assert "--mount" not in off
    assert "RUN pip install --no-cache-dir --requirement requirements.txt" in off


def test_an_image_on_the_classic_builder_gets_no_cache_mounts_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    classic = render(tmp_path / "c", 'installer = "pip"', capsys, 'builder = "classic"\n')
    assert "--mount" not in classic
    forced = render(
        tmp_path / "f", 'installer = "pip", cache_mounts = true', capsys, 'builder = "classic"\n'
    )
    assert "--mount=type=cache" in forced  # an explicit answer still wins


# ---------------------------------------------------------------------------------------------
# On the real engine


@pytest.mark.parametrize(("builder", "cache_mounts"), [("buildkit", "true"), ("classic", "false")])
def test_the_python_template_builds_with_either_builder(
    builder: str,
    cache_mounts: str,
    tmp_path: Path,
    docker_client: Any,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from docker.errors import ImageNotFound

    try:
        docker_client.images.get(DEBIAN_IMAGE)
    except ImageNotFound:
        from realparts import unavailable

        unavailable(f"{DEBIAN_IMAGE} is missing; `scripts/services.sh start` makes it")
    config = write_project(
        tmp_path,
        f'[images.svc]\ncontext = "svc"\nrepository = "{unique_name}/svc"\n'
        f'template = "python"\nbuilder = "{builder}"\n'
        f'vars = {{ base_image = "{DEBIAN_IMAGE}", server = "stdlib", '
        f"cache_mounts = {cache_mounts} }}\n",
        {"svc/app.py": f"print('{unique_name}')\n"},
    )
    metadata = tmp_path / "metadata.json"
    code = run(
        ["-f", str(config), "build", "--progress", "plain", "--metadata-file", str(metadata)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    image = json.loads(metadata.read_text())["images"]["svc"]
    assert image["status"] == "built" and image["builder"] == builder
    output = docker_client.containers.run(
        image["image_id"], ["python3", "/app/app.py"], remove=True, network_mode="none"
    )
    assert output.decode() == f"{unique_name}\n"
