"""Where a platform variant may build: engines that can build its platform, native ones first,
only native ones with `emulation = false`; and the plan's refusals before any build."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.build import load_graph
from builder.errors import UsageError
from builder.inputs import InputResolver
from builder.plan import make_plan
from builder.platforms import Platform
from builder.pool import Member, Pool, eligible_members
from builder.variants import expand_platforms
from tests.fakes import FakeEngine

AMD64, ARM64 = Platform("linux", "amd64"), Platform("linux", "arm64")
RISCV = Platform("linux", "riscv64")


def _pool() -> Pool:
    """x86 declares arm64 emulation (a tcp:// engine's binfmt cannot be read from here);
    arm is an arm64 machine; plain is an x86 engine that emulates nothing."""
    return Pool(
        (
            Member("x86", FakeEngine("tcp://127.0.0.1:1"), platforms=(AMD64, ARM64)),
            Member("arm", FakeEngine("tcp://127.0.0.1:2", platform=ARM64)),
            Member("plain", FakeEngine("tcp://127.0.0.1:3")),
        )
    )


def _names(members: list[Member]) -> list[str]:
    return [member.name for member in members]


def test_a_native_engine_is_preferred_to_an_emulating_one() -> None:
    members = _pool().members
    assert _names(eligible_members(members, None, ARM64)) == ["arm"]
    assert _names(eligible_members(members, None, AMD64)) == ["x86", "plain"]


def test_emulation_is_used_when_no_native_engine_is_up() -> None:
    members = [m for m in _pool().members if m.name != "arm"]
    assert _names(eligible_members(members, None, ARM64)) == ["x86"]
    assert eligible_members(members, None, ARM64, emulation=False) == []
    assert eligible_members(members, None, RISCV) == []


def test_no_platform_and_a_pinned_engine_keep_their_old_meaning() -> None:
    members = _pool().members
    assert _names(eligible_members(members, None, None)) == ["x86", "arm", "plain"]
    assert _names(eligible_members(members, "plain", None)) == ["plain"]
    assert eligible_members(members, "plain", ARM64) == []


def _plan(tmp_path: Path, image: str, pool: Pool) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM scratch\n")
    config = tmp_path / "imgbuild.toml"
    config.write_text(f'[images.app]\ncontext = "app"\n{image}\n')
    _, graph = load_graph(config)
    pool.connect()
    graph = expand_platforms(graph, AMD64, pool.primary)
    # classic: no docker client is needed, and what is refused first does not depend on it
    make_plan(graph, InputResolver(pool), pool, builder="classic")


def test_the_plan_refuses_a_platform_no_engine_builds(tmp_path: Path) -> None:
    pool = Pool((Member("default", FakeEngine("tcp://127.0.0.1:1")),))
    with pytest.raises(UsageError) as raised:
        _plan(tmp_path, 'platforms = ["linux/amd64", "linux/riscv64"]', pool)
    assert raised.value.message == (
        "image app: no engine can build linux/riscv64 (default builds linux/amd64 (native))"
    )
    assert raised.value.hint is not None and "binfmt" in raised.value.hint


def test_the_plan_refuses_emulation_where_the_image_forbids_it(tmp_path: Path) -> None:
    pool = Pool((Member("default", FakeEngine("tcp://127.0.0.1:1"), platforms=(AMD64, ARM64)),))
    with pytest.raises(UsageError) as raised:
        _plan(tmp_path, 'platforms = ["linux/arm64"]\nemulation = false', pool)
    assert "no engine can build linux/arm64" in raised.value.message
    assert raised.value.hint == (
        "emulation = false on images.app: add an engine native to linux/arm64"
    )


def test_the_classic_builder_is_refused_for_an_emulated_platform(tmp_path: Path) -> None:
    pool = Pool((Member("default", FakeEngine("tcp://127.0.0.1:1"), platforms=(AMD64, ARM64)),))
    with pytest.raises(UsageError) as raised:
        _plan(tmp_path, 'platforms = ["linux/arm64"]', pool)
    assert "the classic builder cannot build for linux/arm64" in raised.value.message
