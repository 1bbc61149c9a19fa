from __future__ import annotations

from builder.dockerfile import parse_dockerfile


def test_mount_options_are_read_as_buildkit_reads_them() -> None:
    text = (
        'FROM a:1\nRUN --mount=Type=cache,target="/root/.cache" '
        "--mount=type=bind,from=tools/x:1,target=/t true\n"
    )
    run = parse_dockerfile(text).instructions[1]
    assert run.mounts() == [
        {"type": "cache", "target": "/root/.cache"},
        {"type": "bind", "from": "tools/x:1", "target": "/t"},
    ]


def test_images_read_through_mounts_are_external_images() -> None:
    text = "FROM a:1 AS build\nFROM b:2\nRUN --mount=from=build,target=/b --mount=from=c:3 true\n"
    assert parse_dockerfile(text).external_images({}) == [("a:1", 1), ("b:2", 2), ("c:3", 3)]


NEEDED = (
    "FROM a:1 AS one\n"
    "FROM b:2 AS two\n"
    "FROM one AS three\n"
    "RUN --mount=from=two,target=/t true\n"
    "FROM c:3 AS four\n"
    "COPY --from=one /x /x\n"
    "FROM four AS five\n"
)


def test_classic_builds_every_stage_up_to_the_target() -> None:
    stages = parse_dockerfile(NEEDED).needed_stages("three", {}, buildkit=False)
    assert [stage.name for stage in stages] == ["one", "two", "three"]
    everything = parse_dockerfile(NEEDED).needed_stages(None, {}, buildkit=False)
    assert len(everything) == 5


def test_buildkit_builds_the_stages_the_target_reads() -> None:
    dockerfile = parse_dockerfile(NEEDED)
    assert [s.name for s in dockerfile.needed_stages("three", {}, buildkit=True)] == [
        "one",
        "two",
        "three",
    ]
    assert [s.name for s in dockerfile.needed_stages(None, {}, buildkit=True)] == [
        "one",
        "four",
        "five",
    ]
    stages = dockerfile.needed_stages("four", {}, buildkit=True)
    assert dockerfile.external_images({}, stages) == [("a:1", 1), ("c:3", 5)]
