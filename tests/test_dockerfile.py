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
