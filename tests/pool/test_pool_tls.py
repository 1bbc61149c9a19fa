"""A pool with an engine reached over tcp:// with TLS (client certificates), on loopback."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from realparts import executable, free_port

from builder.cli import run
from tests.build.helpers import write_project
from tests.pool.engines import EngineSet, OwnEngine

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def tls_engine(engine_set: EngineSet) -> Iterator[OwnEngine]:
    executable("openssl", "apt openssl")
    base = Path(tempfile.mkdtemp(prefix="ibt-", dir="/tmp"))
    engine = OwnEngine("secure", base / "s", tls_port=free_port())
    try:
        engine.start()
        yield engine
    finally:
        engine.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_an_engine_with_tls_settings_builds_in_the_pool(
    tmp_path: Path,
    pool_engines: EngineSet,
    tls_engine: OwnEngine,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("IMGBUILD_BUILDER", raising=False)
    certs = tls_engine.root / "tls"
    config = write_project(
        tmp_path,
        f'[engines.hosts.secure]\nurl = "{tls_engine.url}"\n'
        f'tls = {{ ca = "{certs}/ca.pem", cert = "{certs}/cert.pem", key = "{certs}/key.pem" }}\n'
        f'[engines.hosts.local]\nurl = "{pool_engines["e1"].url}"\n'
        f'[images.api]\ncontext = "api"\nrepository = "{unique_name}/api"\nengine = "secure"\n',
        {"api/Dockerfile": "FROM scratch\nCOPY api.txt /\n", "api/api.txt": unique_name},
    )
    metadata = tmp_path / "metadata.json"
    code = run(
        ["-f", str(config), "build", "--progress", "plain", "--metadata-file", str(metadata)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    api = json.loads(metadata.read_text())["images"]["api"]
    assert (api["engine"], api["builder"]) == ("secure", "classic")
    assert tls_engine.client().images.get(f"{unique_name}/api:latest").id == api["image_id"]

    assert run(["-f", str(config), "engines", "--format", "json"]) == 0
    reports = json.loads(capsys.readouterr().out)["engines"]
    assert [(report["name"], report["up"]) for report in reports] == [
        ("secure", True),
        ("local", True),
    ]
    # The BuildKit client is given no TLS settings: asking for it is a clear usage error.
    assert run(["-f", str(config), "build", "--builder", "buildkit"]) == 2
    assert "BuildKit builds on an engine with TLS settings" in capsys.readouterr().err
