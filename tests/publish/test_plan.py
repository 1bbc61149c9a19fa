"""The publish plan: refs per registry, Docker Hub naming, order, config errors (no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from builder.config import Config, load_config
from builder.credentials import HUB_KEY
from builder.errors import ConfigError, UsageError
from builder.gitinfo import GitState
from builder.publish_plan import dry_run_lines, plan_publish, publish_registries

SHA = "abcdef0123456789abcdef0123456789abcdef01"
RELEASE = GitState(SHA, False, "main", ("v1.2.3",), datetime(2024, 1, 1, tzinfo=UTC), None)


def config_with(tmp_path: Path, extra: str = "") -> Config:
    for name in ("api", "web"):
        (tmp_path / name).mkdir(exist_ok=True)
        (tmp_path / name / "Dockerfile").write_text("FROM scratch\n")
    path = tmp_path / "imgbuild.toml"
    path.write_text(
        '[images.api]\ncontext = "api"\nrepository = "shop/api"\n\n'
        '[images.web]\ncontext = "web"\n\n' + extra
    )
    return load_config(path)


def test_refs_on_docker_hub_and_a_private_registry(tmp_path: Path) -> None:
    config = config_with(
        tmp_path, '[publish]\nregistries = ["docker.io/acme", "registry.internal:5000/team"]\n'
    )
    plan = plan_publish(config, ["api"], RELEASE, None, publish_registries(config, ()))
    refs = [target.ref for target in plan.targets]
    assert refs[:4] == [
        "docker.io/acme/shop/api:1.2.3",
        "docker.io/acme/shop/api:abcdef0",
        "registry.internal:5000/team/shop/api:1.2.3",
        "registry.internal:5000/team/shop/api:abcdef0",
    ]
    assert {target.registry for target in plan.targets} == {HUB_KEY, "registry.internal:5000"}
    assert all(not target.tag.immutable for target in plan.targets[4:])
    assert len(refs) == 12


def test_a_single_name_on_docker_hub_lives_under_library(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    plan = plan_publish(config, ["web"], RELEASE, None, ["docker.io"])
    assert plan.targets[0].ref == "docker.io/library/web:1.2.3"


def test_immutable_refs_of_every_image_come_before_any_moving_one(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    plan = plan_publish(config, [], RELEASE, None, ["127.0.0.1:5000", "127.0.0.1:5001"])
    kinds = [target.tag.immutable for target in plan.targets]
    assert kinds == [True] * 8 + [False] * 16
    assert plan.images == ("api", "web")


def test_registry_option_wins_over_the_config(tmp_path: Path) -> None:
    config = config_with(tmp_path, '[publish]\nregistries = ["registry.internal:5000"]\n')
    assert publish_registries(config, ("127.0.0.1:5000",)) == ("127.0.0.1:5000",)


def test_no_registry_anywhere_is_a_usage_error(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    with pytest.raises(UsageError, match="no registry to publish api to"):
        plan_publish(config, ["api"], RELEASE, None, ())


def test_a_repository_naming_its_registry_needs_no_registries(tmp_path: Path) -> None:
    config = config_with(tmp_path, "")
    (tmp_path / "imgbuild.toml").write_text(
        '[images.api]\ncontext = "api"\nrepository = "127.0.0.1:5000/shop/api"\n'
    )
    config = load_config(tmp_path / "imgbuild.toml")
    plan = plan_publish(config, [], RELEASE, None, ())
    assert plan.targets[0].ref == "127.0.0.1:5000/shop/api:1.2.3"


def test_bad_publish_table_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"publish\.registries: must be a list") as caught:
        config_with(tmp_path, '[publish]\nregistries = "127.0.0.1:5000"\n')
    assert caught.value.line == 9  # found at load, with its line
    with pytest.raises(ConfigError, match=r"publish\.registry: unknown key") as caught:
        config_with(tmp_path, '[publish]\nregistry = ["127.0.0.1:5000"]\n')
    assert caught.value.line == 9


def test_an_image_without_any_tag_is_a_usage_error(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    with pytest.raises(UsageError, match="gets no tag to publish"):
        plan_publish(config, ["api"], None, None, ["127.0.0.1:5000"])


def test_dry_run_lines_say_why(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    plan = plan_publish(config, ["api"], RELEASE, None, ["127.0.0.1:5000"])
    assert dry_run_lines(plan)[0] == (
        "would push 127.0.0.1:5000/shop/api:1.2.3  (immutable; version: git tag v1.2.3 on HEAD)"
    )
