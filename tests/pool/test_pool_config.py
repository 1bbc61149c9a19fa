"""`[engines]`, per-image `engine`, and how --engine URLs form the pool (no engine needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.config import EngineHost, EnginesConfig, TlsSettings, load_config
from builder.errors import ConfigError, UsageError
from builder.placement import Candidate, choose
from builder.pool import DEFAULT_NAME, make_pool
from tests.build.helpers import write_project

IMAGE = '[images.api]\ncontext = "api"\n'

BROKEN = [
    ('[engines.hosts.a]\nurl = "http://x"\n', 2, "'http://x' is not an engine URL"),
    ("[engines.hosts.a]\njobs = 2\n", 1, "engines.hosts.a.url: is required"),
    ('[engines.hosts.a]\nurl = "unix:///s"\njobs = 0\n', 3, "jobs: must be at least 1"),
    ('[engines.hosts.a]\nurl = "unix:///s"\njbos = 2\n', 3, "unknown key (did you mean 'jobs'?)"),
    (
        '[engines.hosts.a]\nurl = "unix:///s"\ntls = { cert = "c.pem" }\n',
        3,
        "file 'c.pem' does not exist",
    ),
    ('[engines]\ntransfer_registry = "http://x/y"\n', 2, "is not HOST[:PORT][/PREFIX]"),
    ("[engines]\nhost = {}\n", 2, "engines.host: unknown key (did you mean 'hosts'?)"),
    (
        '[engines.hosts.a]\nurl = "unix:///s"\n' + IMAGE + 'engine = "b"\n',
        5,
        "images.api.engine: names 'b', which is not an engine of [engines.hosts]",
    ),
]


@pytest.mark.parametrize(("text", "line", "expected"), BROKEN)
def test_a_broken_engines_table_is_reported_with_file_and_line(
    tmp_path: Path, text: str, line: int, expected: str
) -> None:
    if "[images" not in text:
        text += IMAGE
    config = write_project(tmp_path, text, {"api/Dockerfile": "FROM scratch\n"})
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"{config}:{line}: ")


def test_engines_table_is_read_with_tls_and_placement(tmp_path: Path) -> None:
    text = (
        '[engines]\ntransfer_registry = "127.0.0.1:5000/moves"\n'
        '[engines.hosts.arm]\nurl = "tcp://127.0.0.1:2376"\njobs = 4\n'
        'tls = { ca = "ca.pem", cert = "cert.pem", key = "key.pem", verify = false }\n'
        '[engines.hosts.local]\nurl = "unix:///run/docker.sock"\n' + IMAGE + 'engine = "arm"\n'
    )
    files = {"api/Dockerfile": "FROM scratch\n", "ca.pem": "", "cert.pem": "", "key.pem": ""}
    config = load_config(write_project(tmp_path, text, files))
    assert config.engines == EnginesConfig(
        hosts=(
            EngineHost(
                "arm",
                "tcp://127.0.0.1:2376",
                4,
                TlsSettings(
                    tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem", verify=False
                ),
            ),
            EngineHost("local", "unix:///run/docker.sock"),
        ),
        transfer_registry="127.0.0.1:5000/moves",
    )
    assert config.images["api"].engine == "arm"


def test_engine_urls_replace_the_configured_pool_and_keep_a_configured_name() -> None:
    configured = EnginesConfig(hosts=(EngineHost("big", "tcp://127.0.0.1:2375", jobs=8),))
    pool = make_pool(configured, ["unix:///a.sock", "tcp://127.0.0.1:2375", "unix:///a.sock"])
    assert [(m.name, m.url, m.jobs) for m in pool.members] == [
        ("e1", "unix:///a.sock", None),
        ("big", "tcp://127.0.0.1:2375", 8),
    ]
    assert [m.name for m in make_pool(configured).members] == ["big"]
    named_e1 = EnginesConfig(hosts=(EngineHost("e1", "unix:///x.sock"),))
    pool = make_pool(named_e1, ["unix:///y.sock", "unix:///x.sock"])
    assert [(m.name, m.url) for m in pool.members] == [
        ("e2", "unix:///y.sock"),
        ("e1", "unix:///x.sock"),
    ]


def test_no_engines_is_the_one_engine_docker_host_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///somewhere.sock")
    pool = make_pool(EnginesConfig())
    assert [(m.name, m.url) for m in pool.members] == [(DEFAULT_NAME, "unix:///somewhere.sock")]
    assert not pool.is_pool


def test_an_engine_url_without_a_scheme_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"--engine '/var/run/docker\.sock' is not an engine URL"):
        make_pool(EnginesConfig(), ["/var/run/docker.sock"])


def candidate(
    name: str, *, digest: bool = False, deps: int = 0, affinity: bool = False, free: float = 1
) -> Candidate:
    return Candidate(name, digest, deps, affinity, free)


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ([candidate("a", free=3), candidate("b", digest=True)], "b"),
        ([candidate("a", deps=1, affinity=True, free=3), candidate("b", deps=2)], "b"),
        ([candidate("a", free=3), candidate("b", affinity=True)], "b"),
        ([candidate("a", free=1), candidate("b", free=2)], "b"),
        ([candidate("a"), candidate("b")], "a"),
        ([], None),
    ],
)
def test_choose_prefers_result_then_dependencies_then_previous_build_then_free_slots(
    candidates: list[Candidate], expected: str | None
) -> None:
    assert choose(candidates) == expected


def test_a_placement_on_an_engine_outside_the_pool_names_the_line(tmp_path: Path) -> None:
    from builder.pool import check_placements

    path = write_project(tmp_path, IMAGE + 'engine = "arm"\n', {"api/Dockerfile": "FROM scratch\n"})
    pool = make_pool(EnginesConfig(), ["unix:///a.sock"])
    with pytest.raises(ConfigError) as caught:
        check_placements(load_config(path), pool)
    assert str(caught.value) == (
        f"{path}:3: images.api.engine: 'arm' is not an engine of this pool (engines: e1)"
    )
