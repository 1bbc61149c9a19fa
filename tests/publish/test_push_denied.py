"""The registry refuses a push after a good login: the error names the user and its source,
never the secret (in the output, the metadata file or a log line), and is not retried."""

from __future__ import annotations

import base64
import json
import logging
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from realparts import Registry, unavailable

from builder.cli import run
from builder.engine.operations import Engine, PushAuth
from builder.uploads import OnPushProgress
from tests.publish.tokenauth import TokenServer, start_denying_registry

pytestmark = [pytest.mark.engine, pytest.mark.registry]


@pytest.fixture
def denying(tmp_path: Path) -> Iterator[tuple[Registry, TokenServer]]:
    for tool in ("openssl", "docker-registry"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not installed (scripts/install.sh)")
    folder = tmp_path / "denying-registry"
    folder.mkdir()
    tokens = TokenServer(folder, "imgbuild-pusher", f"S3cret-{secrets.token_urlsafe(12)}")
    with tokens.serving() as realm:
        registry = start_denying_registry(folder, realm, tokens.cert)
        try:
            yield registry, tokens
        finally:
            registry.stop()


def test_a_refused_push_shows_no_secret_and_is_not_retried(
    denying: tuple[Registry, TokenServer],
    docker_client: Any,
    unique_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    registry, tokens = denying
    project = tmp_path / "project"
    (project / "api").mkdir(parents=True)
    (project / "api" / "Dockerfile").write_text("FROM scratch\nCOPY api.txt /\n")
    (project / "api" / "api.txt").write_text(f"{unique_name}\n")
    (project / "imgbuild.toml").write_text(
        f'[images.api]\ncontext = "api"\nrepository = "{unique_name}/api"\n\n'
        f'[publish]\nregistries = ["{registry.address}"]\n'
    )
    pair = base64.b64encode(f"{tokens.username}:{tokens.password}".encode()).decode()
    monkeypatch.setenv(
        "DOCKER_AUTH_CONFIG", json.dumps({"auths": {registry.address: {"auth": pair}}})
    )
    pushes: list[str] = []
    real_push = Engine.push

    def counted(
        engine: Engine,
        repository: str,
        tag: str,
        auth: PushAuth | None,
        on_progress: OnPushProgress | None = None,
    ) -> str:
        pushes.append(repository)
        return real_push(engine, repository, tag, auth, on_progress)

    monkeypatch.setattr(Engine, "push", counted)
    caplog.set_level(logging.DEBUG)
    metadata = tmp_path / "publish.json"

    code = run(
        ["-f", str(project / "imgbuild.toml"), "publish", "--version", "1.0.0",
         "--progress", "plain", "--retries", "3", "--metadata-file", str(metadata)]
    )  # fmt: skip

    out, err = capsys.readouterr()
    assert code == 1, err
    # The login and the reads went through; the registry itself refused the push.
    assert any(scope.endswith(":pull") for scope in tokens.scopes)
    assert any("push" in scope for scope in tokens.scopes)
    assert f"user {tokens.username!r} from DOCKER_AUTH_CONFIG" in err
    assert pushes == [f"{registry.address}/{unique_name}/api"]  # once: never retried
    document = metadata.read_text()
    assert json.loads(document)["images"]["api"]["status"] == "failed"
    for text in (out, err, document, caplog.text):
        assert tokens.password not in text
        assert pair not in text
