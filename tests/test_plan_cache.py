"""The plan with a remote cache: hits give their dependents' digests without a build, a hit
is pulled when something built here needs it and, at publish, copied otherwise; a miss draws
layers from the image's newest cache entry."""

from __future__ import annotations

from pathlib import Path

from builder.build import load_graph
from builder.cache_refs import CacheEntry
from builder.inputs import InputResolver
from builder.plan import Action, Plan, make_plan
from builder.registry import Manifest
from builder.remote_cache import RemoteCache
from builder.scheduler import RunOptions, run_plan
from tests.fakes import BASE_REF, FakeEngine, fake_pool

CONFIG = """\
[cache]
registry = "127.0.0.1:5000/cache"

[images.base]
context = "base"
repository = "t/base"

[images.mid]
context = "mid"
repository = "t/mid"

[images.leaf]
context = "leaf"
repository = "t/leaf"
"""
DOCKERFILES = {
    "base": f"FROM {BASE_REF}\n",
    "mid": "FROM t/base\n",
    "leaf": "FROM t/mid\n",
}


class _Cache(RemoteCache):
    """A cache holding an entry for the images named, whatever their digest."""

    def __init__(self, holds: set[str]) -> None:
        super().__init__()
        self.holds = holds
        self.asked: list[str] = []
        self.stored: list[str] = []

    def store(self, engine: object, image_id: str, ref: str, newest: str) -> bool:
        self.stored.append(ref)
        return True

    def lookup(self, ref: str, digest: str) -> CacheEntry | None:
        self.asked.append(ref)
        name = ref.split("/")[-1].split(":")[0]
        if name not in self.holds:
            return None
        image_id = "sha256:" + (name[0] * 64)
        return CacheEntry(ref, image_id, Manifest("sha256:m", "x", b"{}"))


def _plan(
    tmp_path: Path, holds: set[str], *, copy_hits: bool, mode: str = "readwrite"
) -> tuple[Plan, _Cache]:
    for name, text in DOCKERFILES.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(text)
    (tmp_path / "imgbuild.toml").write_text(
        CONFIG.replace("\n\n[images.base]", f'\nmode = "{mode}"\n\n[images.base]')
    )
    _, graph = load_graph(tmp_path / "imgbuild.toml")
    pool = fake_pool(FakeEngine())
    pool.connect()
    cache = _Cache(holds)
    plan = make_plan(
        graph, InputResolver(pool), pool, builder="classic", cache=cache, copy_hits=copy_hits
    )
    return plan, cache


def test_an_unchanged_graph_at_publish_is_copied_whole(tmp_path: Path) -> None:
    plan, cache = _plan(tmp_path, {"base", "mid", "leaf"}, copy_hits=True)
    assert [image.action for image in plan.images] == [Action.COPY] * 3
    # Each hit's ID is its dependents' input: every image was looked up, none is built.
    assert len(cache.asked) == 3
    assert plan.image("mid").input_digest is not None


def test_a_hit_that_a_build_here_needs_is_pulled(tmp_path: Path) -> None:
    plan, _ = _plan(tmp_path, {"base", "mid"}, copy_hits=True)
    actions = {image.name: image.action for image in plan.images}
    assert actions == {"base": Action.COPY, "mid": Action.PULL, "leaf": Action.BUILD}
    leaf = plan.image("leaf")
    assert leaf.cache_from == "127.0.0.1:5000/cache/t/leaf:newest"


def test_build_pulls_every_hit(tmp_path: Path) -> None:
    plan, _ = _plan(tmp_path, {"base", "mid", "leaf"}, copy_hits=False)
    assert [image.action for image in plan.images] == [Action.PULL] * 3


def test_a_miss_high_in_the_graph_leaves_its_dependents_unknown(tmp_path: Path) -> None:
    plan, cache = _plan(tmp_path, {"mid", "leaf"}, copy_hits=True)
    assert [image.action for image in plan.images] == [Action.BUILD] * 3
    assert len(cache.asked) == 1  # mid's digest waits for base's build
    assert plan.image("mid").reason == "dependency rebuilt: base"


def _run(plan: Plan, cache: _Cache) -> list[str]:
    pool = fake_pool(FakeEngine())
    pool.connect()
    options = RunOptions(jobs=2, remote_cache=cache)
    result = run_plan(plan, pool, InputResolver(pool), options, lambda event: None)
    assert not result.failed
    return [image.cache or "" for image in result.results]


def test_what_is_built_is_stored_in_readwrite_mode(tmp_path: Path) -> None:
    plan, cache = _plan(tmp_path, set(), copy_hits=False)
    assert _run(plan, cache) == ["miss", "miss", "miss"]
    assert [ref.rsplit(":", 1)[0] for ref in cache.stored] == [
        "127.0.0.1:5000/cache/t/base",
        "127.0.0.1:5000/cache/t/mid",
        "127.0.0.1:5000/cache/t/leaf",
    ]


def test_read_mode_never_pushes(tmp_path: Path) -> None:
    plan, cache = _plan(tmp_path, set(), copy_hits=False, mode="read")
    assert _run(plan, cache) == ["miss", "miss", "miss"]
    assert cache.stored == []


def test_a_copied_hit_touches_no_engine_and_names_no_local_tag(tmp_path: Path) -> None:
    plan, cache = _plan(tmp_path, {"base", "mid", "leaf"}, copy_hits=True)
    engine = FakeEngine()
    pool = fake_pool(engine)
    pool.connect()
    result = run_plan(
        plan, pool, InputResolver(pool), RunOptions(remote_cache=cache), lambda event: None
    )
    assert [(r.cache, r.refs, r.image_id) for r in result.results] == [
        ("copied", (), "sha256:" + "b" * 64),
        ("copied", (), "sha256:" + "m" * 64),
        ("copied", (), "sha256:" + "l" * 64),
    ]
    assert engine.built == [] and cache.stored == []


PLATFORM_CONFIG = """\
[cache]
registry = "127.0.0.1:5000/cache"

[build]
platforms = ["linux/amd64", "linux/arm64"]

[images.base]
context = "base"
repository = "t/base"
builder = "buildkit"

[images.leaf]
context = "leaf"
repository = "t/leaf"
builder = "buildkit"
"""


class _Misses(RemoteCache):
    """A cache holding every image but those built from the input digests in `misses`."""

    def __init__(self, misses: set[str]) -> None:
        super().__init__()
        self.misses = misses

    def lookup(self, ref: str, digest: str) -> CacheEntry | None:
        if digest in self.misses:
            return None
        return CacheEntry(ref, "sha256:" + digest[-64:], Manifest("sha256:m", "x", b"{}"))


def test_an_image_s_platforms_are_copied_together_or_not_at_all(tmp_path: Path) -> None:
    from builder.platforms import Platform
    from builder.variants import expand_platforms
    from tests.build.helpers import write_project

    files = {"base/Dockerfile": "FROM local/busybox:1\n", "leaf/Dockerfile": "FROM t/base\n"}
    config = write_project(tmp_path, PLATFORM_CONFIG, files)

    def plan_with(cache: RemoteCache) -> Plan:
        arm_id = "sha256:" + "a" * 64
        engine = FakeEngine(
            images={"local/busybox:1": "sha256:" + "d" * 64, "local/busybox:1-linux-arm64": arm_id}
        )
        engine.image_platforms[arm_id] = Platform("linux", "arm64")
        pool = fake_pool(engine)
        pool.connect()
        _, graph = load_graph(config)
        graph = expand_platforms(graph, Platform("linux", "amd64"), engine)
        return make_plan(graph, InputResolver(pool), pool, cache=cache, copy_hits=True)

    def actions(plan: Plan) -> dict[str, Action]:
        return {image.name: image.action for image in plan.images}

    whole = plan_with(_Misses(set()))
    assert actions(whole) == dict.fromkeys(
        ["base", "base@linux/arm64", "leaf", "leaf@linux/arm64"], Action.COPY
    )
    arm64_leaf = whole.image("leaf@linux/arm64").input_digest
    assert arm64_leaf is not None
    # The arm64 leaf is a miss: it builds here on the arm64 base, which is pulled, and the
    # amd64 base with it (base's index is then made of local images); the amd64 leaf could be
    # copied alone, but its index is made with its arm64 sibling's local image: pulled too.
    assert actions(plan_with(_Misses({arm64_leaf}))) == {
        "base": Action.PULL,
        "base@linux/arm64": Action.PULL,
        "leaf": Action.PULL,
        "leaf@linux/arm64": Action.BUILD,
    }
