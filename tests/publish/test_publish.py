"""`imgbuild publish` and `promote` against a real engine, an htpasswd registry and a keyring.

Every check of what the registry serves goes over the Registry HTTP API (tests/realparts.py),
never through imgbuild.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from builder.build import open_session
from builder.cli import run
from builder.gitinfo import read_git_state
from builder.publish import RefStatus, run_publish
from builder.publish_plan import plan_publish, publish_registries
from builder.retry import RetryPolicy
from builder.scheduler import RunOptions

pytestmark = [pytest.mark.engine, pytest.mark.registry]


class Project:
    """A git repository with two images built FROM scratch, published to one registry."""

    def __init__(self, root: Path, registry: Any, prefix: str) -> None:
        self.root = root
        self.registry = registry
        self.prefix = prefix
        for name in ("api", "web"):
            (root / name).mkdir(parents=True)
            (root / name / "Dockerfile").write_text(f"FROM scratch\nCOPY {name}.txt /\n")
            (root / name / f"{name}.txt").write_text(f"{name} one\n")
        (root / "imgbuild.toml").write_text(
            f'[images.api]\ncontext = "api"\nrepository = "{prefix}/api"\n\n'
            f'[images.web]\ncontext = "web"\nrepository = "{prefix}/web"\n\n'
            f'[publish]\nregistries = ["{registry.address}/team"]\n'
        )
        self.git("init", "-q", "-b", "main")
        self.commit("first")

    @property
    def config(self) -> Path:
        return self.root / "imgbuild.toml"

    def git(self, *args: str) -> str:
        return subprocess.run(
            [
                "git",
                "-C",
                str(self.root),
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@example.test",
                *args,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "--short=7", "HEAD")

    def change(self, name: str, text: str) -> None:
        (self.root / name / f"{name}.txt").write_text(text)

    def repository(self, image: str) -> str:
        return f"team/{self.prefix}/{image}"

    def ref(self, image: str, tag: str) -> str:
        return f"{self.registry.address}/{self.repository(image)}:{tag}"

    def digests(self, image: str, tags: list[str]) -> dict[str, str | None]:
        """What the registry serves for each tag, asked over its HTTP API."""
        return {tag: self.registry.digest(self.repository(image), tag) for tag in tags}


@pytest.fixture
def project(
    tmp_path: Path,
    auth_registry: Any,
    docker_client: Any,
    unique_name: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Project:
    monkeypatch.setenv("IMGBUILD_PROGRESS", "plain")
    return Project(tmp_path / "repo", auth_registry, unique_name)


def env_credentials(monkeypatch: pytest.MonkeyPatch, registry: Any, password: str) -> None:
    token = base64.b64encode(f"{registry.username}:{password}".encode()).decode()
    monkeypatch.setenv(
        "DOCKER_AUTH_CONFIG", json.dumps({"auths": {registry.address: {"auth": token}}})
    )


def publish(
    project: Project, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, dict[str, Any]]:
    """Run `imgbuild publish` in-process; return exit code, output and the metadata file."""
    metadata = project.root.parent / "metadata.json"
    metadata.unlink(missing_ok=True)
    code = run(["-f", str(project.config), "publish", "--metadata-file", str(metadata), *args])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    document = json.loads(metadata.read_text()) if metadata.exists() else {}
    password = project.registry.password
    assert password not in output and password not in json.dumps(document), "a secret leaked"
    return code, output, document


RELEASE_TAGS = ["1.2.3", "1.2", "1", "latest", "main"]


def test_login_then_publish_serves_every_tag_with_the_reported_digest(
    project: Project,
    real_keyring: Any,
    docker_client: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = project.registry
    monkeypatch.setattr(sys, "stdin", io.StringIO(registry.password))
    assert run(["login", registry.address, "-u", registry.username, "--password-stdin"]) == 0
    project.git("tag", "v1.2.3")
    sha = project.git("rev-parse", "--short=7", "HEAD")

    code, output, metadata = publish(project, capsys)

    assert code == 0, output
    for image in ("api", "web"):
        entry = metadata["images"][image]
        assert entry["status"] == "pushed"
        assert entry["digest"].startswith("sha256:")
        expected = [project.ref(image, tag) for tag in ["1.2.3", sha, *RELEASE_TAGS[1:]]]
        assert sorted(entry["pushed"]) == sorted(expected)
        assert entry["skipped"] == entry["failed"] == entry["not_pushed"] == []
        served = project.digests(image, [sha, *RELEASE_TAGS])
        assert served == dict.fromkeys([sha, *RELEASE_TAGS], entry["digest"])
    labels = docker_client.images.get(project.ref("api", "1.2.3")).labels
    assert labels["org.opencontainers.image.version"] == "1.2.3"
    assert labels["org.opencontainers.image.revision"] == project.git("rev-parse", "HEAD")
    # Every immutable ref of every image was done before the first moving one.
    order = [
        line.split()[1]
        for line in output.splitlines()
        if line.startswith(("pushed ", "tagged ", "skipped "))
    ]
    immutable = {project.ref(image, tag) for image in ("api", "web") for tag in ("1.2.3", sha)}
    assert set(order[:4]) == immutable and len(order) == 12


def test_second_publish_pushes_nothing(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    project.git("tag", "v1.2.3")
    assert publish(project, capsys)[0] == 0
    before = project.digests("api", RELEASE_TAGS)

    code, output, metadata = publish(project, capsys)

    assert code == 0, output
    for image in ("api", "web"):
        entry = metadata["images"][image]
        assert (entry["status"], entry["pushed"], len(entry["skipped"])) == ("unchanged", [], 6)
    assert "published: 12 skipped" in output
    assert project.digests("api", RELEASE_TAGS) == before


def test_prerelease_moves_no_tag(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    project.git("tag", "v1.2.3")
    project.git("checkout", "-q", "--detach")  # a CI checkout: no branch tag either
    assert publish(project, capsys)[0] == 0
    moving = ["1.2", "1", "latest", "main"]
    before = project.digests("api", moving)

    project.change("api", "api two\n")
    sha = project.commit("second")
    project.git("tag", "v1.3.0-rc.1")
    code, output, metadata = publish(project, capsys, "api")

    assert code == 0, output
    entry = metadata["images"]["api"]
    assert sorted(entry["pushed"]) == sorted(
        [project.ref("api", "1.3.0-rc.1"), project.ref("api", sha)]
    )
    assert project.digests("api", moving) == before
    assert project.registry.digest(project.repository("api"), "1.3") is None
    assert project.registry.digest(project.repository("api"), "1.3.0-rc.1") == entry["digest"]
    assert entry["digest"] != before["latest"]


def test_wrong_password_fails_fast_and_prints_no_secret(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = "Wrong-Pa55word-xyz"
    env_credentials(monkeypatch, project.registry, wrong)
    started = time.monotonic()
    code, output, metadata = publish(project, capsys, "--version", "1.0.0")
    assert time.monotonic() - started < 20  # the build, then one refused request
    assert code == 1
    assert wrong not in output and wrong not in json.dumps(metadata)
    assert (
        f"imgbuild: error: registry {project.registry.address} refused the credentials of "
        f"user {project.registry.username!r} from DOCKER_AUTH_CONFIG (auths)"
    ) in output
    assert metadata["images"]["api"]["status"] == "failed"
    assert project.registry.digest(project.repository("api"), "1.0.0") is None


def test_docker_config_json_works_without_a_keyring(
    project: Project,
    no_keyring: None,
    docker_config: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    registry = project.registry
    token = base64.b64encode(f"{registry.username}:{registry.password}".encode()).decode()
    (docker_config / "config.json").write_text(
        json.dumps({"auths": {f"http://{registry.address}": {"auth": token}}})
    )
    code, output, metadata = publish(project, capsys, "--version", "2.0.0", "web")
    assert code == 0, output
    assert (
        registry.digest(project.repository("web"), "2.0.0") == (metadata["images"]["web"]["digest"])
    )
    assert "api" not in metadata["images"]


def test_docker_auth_config_works_without_a_keyring(
    project: Project,
    no_keyring: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, metadata = publish(project, capsys, "--version", "2.0.0", "api")
    assert code == 0, output
    assert (
        project.registry.digest(project.repository("api"), "latest")
        == (metadata["images"]["api"]["digest"])
    )


def test_registry_down_mid_publish_moves_no_tag_and_a_rerun_completes(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registry = project.registry
    env_credentials(monkeypatch, registry, registry.password)
    project.git("tag", "v1.0.0")
    assert publish(project, capsys)[0] == 0
    moving = ["1.0", "1", "latest", "main"]
    before = {image: project.digests(image, moving) for image in ("api", "web")}

    project.change("api", "api two\n")
    project.change("web", "web two\n")
    sha = project.commit("second")
    project.git("tag", "v1.1.0")
    session = open_session(project.config)
    built = session.run(session.plan(), RunOptions(), lambda _: None)
    ids = {result.name: result.image_id or "" for result in built.results}
    config = session.config
    plan = plan_publish(
        config, (), read_git_state(config.root), None, publish_registries(config, ())
    )

    def stop_after_first_upload(row: Any) -> None:
        if row.status is RefStatus.PUSHED:
            registry.stop()

    try:
        result = run_publish(
            plan,
            ids,
            session.engine,
            retry=RetryPolicy(attempts=2, backoff=0.05, timeout=5),
            on_result=stop_after_first_upload,
        )
    finally:
        registry.start()

    assert result.failed
    statuses = [row.status for row in result.results]
    assert statuses[0] is RefStatus.PUSHED and statuses[1] is RefStatus.FAILED
    assert set(statuses[2:]) == {RefStatus.NOT_PUSHED}
    assert "127.0.0.1" in str(result.error) and "attempts" in str(result.error)
    for image in ("api", "web"):
        assert project.digests(image, moving) == before[image], "a moving tag changed"
    assert registry.digest(project.repository("api"), "1.1") is None

    code, output, metadata = publish(project, capsys)

    assert code == 0, output
    first = plan.targets[0]
    assert metadata["images"][first.image]["skipped"] == [first.ref]
    for image in ("api", "web"):
        entry = metadata["images"][image]
        served = project.digests(image, ["1.1.0", sha, "1.1", "1", "latest", "main"])
        assert set(served.values()) == {entry["digest"]}
        assert entry["digest"] != before[image]["latest"]


def test_promote_copies_the_manifest_in_the_registry(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    assert publish(project, capsys, "--version", "1.2.3", "api")[0] == 0
    digest = project.registry.digest(project.repository("api"), "1.2.3")

    code = run(["-f", str(project.config), "promote", "api", "1.2.3", "stable"])
    output = capsys.readouterr().out
    assert code == 0
    assert output == (
        f"promoted {project.ref('api', '1.2.3')} -> {project.ref('api', 'stable')}  {digest}\n"
    )
    assert project.registry.digest(project.repository("api"), "stable") == digest

    code = run(["-f", str(project.config), "promote", "api", "9.9.9", "stable"])
    error = capsys.readouterr().err
    assert code == 1
    assert f"{project.ref('api', '9.9.9')} does not exist; nothing was promoted" in error
    assert project.registry.digest(project.repository("api"), "stable") == digest


def test_dry_run_builds_and_contacts_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Nowhere:
        address = "127.0.0.1:9"  # discard port: nothing listens, and nothing may be written
        password = "unused"

    project = Project(tmp_path / "repo", Nowhere(), "dry")
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    project.git("tag", "v1.2.3")
    sha = project.git("rev-parse", "--short=7", "HEAD")
    code = run(["-f", str(project.config), "publish", "--dry-run", "api"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines == [
        f"would push {project.ref('api', '1.2.3')}  (immutable; version: git tag v1.2.3 on HEAD)",
        f"would push {project.ref('api', sha)}  (immutable; sha: commit {sha}"
        f"{project.git('rev-parse', 'HEAD')[7:12]})",
        f"would push {project.ref('api', '1.2')}  (moving; minor: release 1.2.3 (git tag v1.2.3 "
        "on HEAD))",
        f"would push {project.ref('api', '1')}  (moving; major: release 1.2.3 (git tag v1.2.3 on "
        "HEAD))",
        f"would push {project.ref('api', 'latest')}  (moving; latest: release 1.2.3 (git tag "
        "v1.2.3 on HEAD))",
        f"would push {project.ref('api', 'main')}  (moving; branch: branch main)",
    ]


def test_one_run_publishes_to_every_registry(
    project: Project,
    plain_registry: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, metadata = publish(
        project,
        capsys,
        "--version",
        "3.0.0",
        "api",
        "--registry",
        f"{project.registry.address}/team",
        "--registry",
        plain_registry.address,
    )
    assert code == 0, output
    entry = metadata["images"]["api"]
    assert len(entry["pushed"]) == 12  # 6 tags (3.0.0, sha, 3.0, 3, latest, main) on 2 registries
    for tag in ("3.0.0", "3.0", "3", "latest", "main"):
        assert project.registry.digest(project.repository("api"), tag) == entry["digest"]
        assert plain_registry.digest(f"{project.prefix}/api", tag) == entry["digest"]


def test_an_image_with_only_moving_tags_is_pushed_after_the_immutable_phase(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    code, output, metadata = publish(
        project,
        capsys,
        "api",
        "--set",
        "tags.sha=false",
        "--set",
        "tags.branch=false",
        "--set",
        'tags.raw=["edge", "nightly"]',
    )
    assert code == 0, output
    entry = metadata["images"]["api"]
    assert entry["pushed"] == [project.ref("api", "edge"), project.ref("api", "nightly")]
    assert project.digests("api", ["edge", "nightly"]) == dict.fromkeys(
        ["edge", "nightly"], entry["digest"]
    )
    assert "pushed     " + project.ref("api", "edge") in output
    assert "tagged     " + project.ref("api", "nightly") in output


def test_report_and_junit_show_every_ref_pushed(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re
    import xml.etree.ElementTree as ET

    from tests.test_report_html import parse

    env_credentials(monkeypatch, project.registry, project.registry.password)
    report, junit = project.root.parent / "report.html", project.root.parent / "junit.xml"
    code, output, _ = publish(
        project, capsys, "--version", "1.2.3", "--report", str(report), "--junit", str(junit)
    )
    assert code == 0, output
    suites = {suite.get("name"): suite for suite in ET.parse(junit).getroot()}
    assert [case.get("name") for case in suites["imgbuild build"]] == ["api", "web"]
    refs = [case.get("name") for case in suites["imgbuild publish"]]
    assert project.ref("api", "1.2.3") in refs and project.ref("web", "main") in refs
    assert len(refs) == 12 and suites["imgbuild publish"].get("failures") == "0"
    text = report.read_text()
    # Each pushed bar says what its push uploaded (bytes, and layers in place out of all).
    pushed = re.escape(project.ref("api", "1.2.3"))
    assert re.search(rf'title="pushed {pushed}: [0-9.]+ [KMG]?B uploaded, (\d+)/\1 layers \(', text)
    assert set(parse(text).rows) == {"api", "web"}
    assert "<h1>imgbuild publish: 2 images</h1>" in text


def test_json_progress_follows_every_upload_to_its_total(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_credentials(monkeypatch, project.registry, project.registry.password)
    # Layers no registry has yet (the engine mounts a known one: nothing to upload).
    project.change("api", os.urandom(1_000_000).hex())  # 2 MB: a layer the engine streams
    project.change("web", os.urandom(8).hex())
    project.commit("new files")

    code, output, _ = publish(project, capsys, "--version", "1.2.3", "--progress", "json")

    assert code == 0, output
    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    started = [event["refs"] for event in events if event["event"] == "publish_started"]
    assert len(started) == 1 and len(started[0]) == 12
    pushed = [line.split()[1] for line in output.splitlines() if line.startswith("pushed ")]
    copied = [line.split()[1] for line in output.splitlines() if line.startswith("tagged ")]
    assert len(pushed) == 2 and len(copied) == 10  # one upload per image, then copies
    for ref in pushed:
        mine = [
            event for event in events if event["event"] == "push_progress" and event["ref"] == ref
        ]
        assert mine, f"no progress for {ref}"
        last = mine[-1]
        assert last["bytes_done"] == last["bytes_total"] > 0
        assert last["layers_done"] == last["layers"] == 1
        assert [event["bytes_done"] for event in mine] == sorted(e["bytes_done"] for e in mine)
    api = next(ref for ref in pushed if "/api:" in ref)
    api_total = [e for e in events if e["event"] == "push_progress" and e["ref"] == api][-1]
    assert api_total["bytes_total"] >= 2_000_000
    assert not any(e["event"] == "push_progress" and e["ref"] in copied for e in events)
