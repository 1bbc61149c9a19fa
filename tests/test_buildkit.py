"""The BuildKit builder without an engine: its plain-progress reader, its command line, and a
build through a stand-in docker client (a script that records what it was given)."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from builder import buildkit
from builder.buildkit import BuildKitClient, _command, _OutputReader, find_client, resolve_builder
from builder.config import SecretSource
from builder.digest import ContextSnapshot
from builder.errors import BuildError, UsageError
from builder.records import BuildOutput, BuildRequest, StepFailed

# What Debian's docker 20.10 client printed for a two-stage build whose last RUN failed.
FAILED_BUILD = """\
#1 [internal] load build definition from Dockerfile
#1 sha256:ba50712b2301fc03940960ecad4ddfb2c0661720ee7ac0eefa6cc91c70dfdaba
#1 transferring dockerfile: 176B done
#1 DONE 0.0s

#3 [internal] load metadata for docker.io/local/busybox:1
#3 DONE 0.0s

#4 [a 1/2] FROM docker.io/local/busybox:1
#4 sha256:01e1341586a17b4d557fd8dbbd34d9ff54e769d882dc7bd62427c4ab92a80473
#4 CACHED

#5 [a 2/2] RUN echo a-1361925396
#5 sha256:782ac3aa14fa6ae632bb8abdfa3a0848252438fa83b38df11307aab0be6c97e7
#5 0.055 a-1361925396
#5 DONE 0.1s

#6 [stage-1 2/3] COPY --from=a /bin/sh /x
#6 DONE 0.0s

#7 [stage-1 3/3] RUN echo line1 && echo line2 >&2 && exit 3
#7 sha256:ba21cb36f48e4ce89411fd7918e7e6ae2872850226ed7a5d1dffd032cc23f3cc
#7 0.045 line1
#7 0.045 line2
#7 ERROR: executor failed running [/bin/sh -c echo line1 && echo line2 >&2 && exit 3]: exit code: 3
------
 > [stage-1 3/3] RUN echo line1 && echo line2 >&2 && exit 3:
------
executor failed running [/bin/sh -c echo line1 && echo line2 >&2 && exit 3]: exit code: 3
"""


def read(text: str) -> tuple[_OutputReader, list[BuildOutput]]:
    outputs: list[BuildOutput] = []
    reader = _OutputReader(outputs.append)
    for line in text.splitlines():
        reader.read(line)
    return reader, outputs


def test_steps_become_numbered_outputs_with_their_stage_name() -> None:
    _, outputs = read(FAILED_BUILD)
    steps = [(output.text, output.step, output.steps) for output in outputs if output.step]
    assert steps == [
        ("Step 1/2 [a] : FROM docker.io/local/busybox:1", 1, 2),
        ("Step 2/2 [a] : RUN echo a-1361925396", 2, 2),
        ("Step 2/3 [stage-1] : COPY --from=a /bin/sh /x", 2, 3),
        ("Step 3/3 [stage-1] : RUN echo line1 && echo line2 >&2 && exit 3", 3, 3),
    ]


def test_a_step_without_a_stage_name_has_no_brackets() -> None:
    _, outputs = read("#4 [2/3] RUN make\n#4 0.301 compiling\n")
    assert [(output.text, output.step) for output in outputs] == [
        ("Step 2/3 : RUN make", 2),
        ("compiling", None),
    ]


def test_step_logs_lose_timestamps_and_internal_vertices_and_noise_are_dropped() -> None:
    _, outputs = read(FAILED_BUILD)
    logs = [output.text for output in outputs if output.step is None]
    assert "a-1361925396" in logs and "line1" in logs and "line2" in logs
    assert not any(text.startswith(("sha256:", "DONE", "CACHED", "[internal]")) for text in logs)
    assert not any("transferring dockerfile" in text for text in logs)


def test_a_step_the_cache_saved_says_so_and_so_does_a_registry_cache_read() -> None:
    _, outputs = read(
        "#5 importing cache manifest from 127.0.0.1:5000/cache/shop/api:newest\n"
        "#5 DONE 0.1s\n"
        "#6 [2/3] RUN make\n"
        "#6 sha256:782ac3aa14fa6ae632bb8abdfa3a0848252438fa83b38df11307aab0be6c97e7\n"
        "#6 CACHED\n"
    )
    assert [output.text for output in outputs] == [
        "importing cache manifest from 127.0.0.1:5000/cache/shop/api:newest",
        "Step 2/3 : RUN make",
        "CACHED",
    ]


def test_the_failing_step_its_log_and_the_error_are_remembered() -> None:
    reader, _ = read(FAILED_BUILD)
    assert reader.failed_step == "Step 3/3 [stage-1] : RUN echo line1 && echo line2 >&2 && exit 3"
    assert reader.error == (
        "executor failed running [/bin/sh -c echo line1 && echo line2 >&2 && exit 3]: exit code: 3"
    )
    # Only the failing step's own lines, without the ERROR line itself.
    assert reader.failed_log() == ["line1", "line2"]


def test_an_error_outside_any_step_is_the_error_without_a_step() -> None:
    reader, _ = read(
        "#3 [internal] load metadata for docker.io/no/such:1\n"
        "#3 ERROR: pull access denied, repository does not exist\n"
        "------\n"
        "error: failed to solve: no/such:1: pull access denied\n"
    )
    assert reader.failed_step is None
    assert reader.failed_log() == []
    assert reader.error == "pull access denied, repository does not exist"


def test_a_client_error_line_is_the_error_when_no_vertex_failed() -> None:
    reader, outputs = read("error: failed to solve: rpc error: code = Unknown desc = boom\n")
    assert reader.error == "failed to solve: rpc error: code = Unknown desc = boom"
    assert reader.failed_step is None
    assert [output.text for output in outputs] == [
        "error: failed to solve: rpc error: code = Unknown desc = boom"
    ]


def test_the_failing_step_keeps_its_last_log_lines_for_the_summary() -> None:
    lines = "".join(f"#9 0.{n:03d} out-{n}\n" for n in range(30))
    reader, _ = read(f"#9 [1/1] RUN spam\n{lines}#9 ERROR: exit code: 1\n")
    log = reader.failed_log()
    assert len(log) < 30  # bounded, however long the step's output
    assert log[-10:] == [f"out-{n}" for n in range(20, 30)]  # what the summary shows


DATA = Path(__file__).parent / "data" / "buildkit"


def test_a_step_shows_once_when_the_printer_leaves_its_vertex_and_comes_back() -> None:
    # Recorded from Debian's 20.10 client: two 12 s RUN steps in parallel stages; the printer
    # writes "#5 ..." when it switches to #7, then "#5 [a 2/2] RUN ..." again when it returns.
    recorded = (DATA / "buildkit_interleaved.txt").read_text()
    assert "#5 ...\n" in recorded and recorded.count("#5 [a 2/2] RUN") == 2
    _, outputs = read(recorded)
    steps = [output.text for output in outputs if output.step]
    assert len(steps) == len(set(steps)) == 5
    texts = [output.text for output in outputs]
    assert "..." not in texts
    assert [text for text in texts if text.startswith("a")] == [f"a{n}" for n in range(1, 25)]
    assert [text for text in texts if text.startswith("b")] == [f"b{n}" for n in range(1, 25)]


def test_a_parse_error_the_client_prints_bare_is_the_reason() -> None:
    # Recorded: a RUN heredoc sent to the 20.10 engine's built-in frontend.
    reader, _ = read((DATA / "buildkit_parse_error.txt").read_text())
    assert reader.error is None and reader.failed_step is None
    assert reader.reason(1).endswith("dockerfile parse error line 3: unknown instruction: HELLO")


def test_a_failing_vertex_s_error_wins_over_the_client_s_last_line() -> None:
    reader, _ = read(FAILED_BUILD)
    assert reader.reason(1) == reader.error


def test_the_exit_code_is_the_reason_only_when_the_client_said_nothing() -> None:
    reader, _ = read("#1 [internal] load build definition from Dockerfile\n------\n")
    assert reader.reason(7) == "docker build exited with 7"


# ---------------------------------------------------------------------------------------------
# The command line


def request(tmp_path: Path, **changes: object) -> BuildRequest:
    fields: dict[str, object] = {
        "name": "api",
        "dockerfile_text": "FROM local/busybox:1\n",
        "context": ContextSnapshot(root=tmp_path, entries=(), digest="sha256:0"),
        "args": {"VERSION": "1.2"},
        "target": None,
        "network": "none",
    }
    fields.update(changes)
    return BuildRequest(**fields)  # type: ignore[arg-type]


CLIENT = BuildKitClient("/usr/bin/docker", "20.10.24", needs_buildx=False)
SECRETS = (
    SecretSource(name="npmrc", file=Path("/home/dev/.npmrc")),
    SecretSource(name="token", env="API_TOKEN"),
)


def test_command_reads_the_dockerfile_from_stdin_and_writes_the_image_id_to_a_file(
    tmp_path: Path,
) -> None:
    command = _command(CLIENT, request(tmp_path), tmp_path / "iid")
    assert command[:2] == ["/usr/bin/docker", "build"]
    assert "--progress=plain" in command
    assert command[command.index("-f") + 1] == "-"
    assert command[command.index("--iidfile") + 1] == str(tmp_path / "iid")
    assert command[-1] == str(tmp_path)
    assert command[command.index("--build-arg") + 1] == "VERSION=1.2"
    assert "--no-cache" not in command and "--target" not in command


def test_command_passes_network_target_and_no_cache(tmp_path: Path) -> None:
    command = _command(
        CLIENT, request(tmp_path, network="host", target="runtime", no_cache=True), tmp_path / "i"
    )
    assert command[command.index("--network") + 1] == "host"
    assert command[command.index("--target") + 1] == "runtime"
    assert "--no-cache" in command
    default = _command(CLIENT, request(tmp_path), tmp_path / "i")
    assert default[default.index("--network") + 1] == "none"


def test_secrets_are_passed_by_source_never_as_build_args(tmp_path: Path) -> None:
    command = _command(CLIENT, request(tmp_path, secrets=SECRETS), tmp_path / "iid")
    secrets = [command[i + 1] for i, word in enumerate(command) if word == "--secret"]
    assert secrets == ["id=npmrc,src=/home/dev/.npmrc", "id=token,env=API_TOKEN"]
    build_args = [command[i + 1] for i, word in enumerate(command) if word == "--build-arg"]
    assert build_args == ["VERSION=1.2"]


def test_a_client_with_buildx_builds_through_buildx_and_loads_the_result(tmp_path: Path) -> None:
    client = BuildKitClient("/usr/local/bin/docker", "28.1.1", needs_buildx=True)
    command = _command(client, request(tmp_path), tmp_path / "iid")
    assert command[:4] == ["/usr/local/bin/docker", "buildx", "build", "--load"]


# ---------------------------------------------------------------------------------------------
# Finding a client and choosing the builder


def fake_docker(directory: Path, version: str, *, buildx: bool = False, build: str = "") -> Path:
    """A stand-in docker client: answers `version`, `buildx version`, and runs `build`.

    `build` is Python run for `docker build` with `argv`, `stdin` (the Dockerfile) and `record`
    (a dict written as JSON next to the script) in scope.
    """
    script = directory / "docker"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "argv = sys.argv[1:]\n"
        f"if argv[:1] == ['version']:\n    print({version!r}); sys.exit(0)\n"
        f"if argv[:2] == ['buildx', 'version']:\n    sys.exit(0 if {buildx} else 1)\n"
        "stdin = sys.stdin.read()\n"
        "record = {'argv': argv, 'stdin': stdin, 'env': dict(os.environ)}\n"
        f"try:\n{_indent(build or 'pass')}\n"
        f"finally:\n    (open({str(directory / 'record.json')!r}, 'w')"
        ".write(json.dumps(record)))\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _indent(code: str) -> str:
    return "\n".join(f"    {line}" for line in code.splitlines())


@pytest.fixture
def client_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    find_client.cache_clear()
    yield
    find_client.cache_clear()


@pytest.mark.usefixtures("client_cache")
def test_a_client_s_version_is_asked_once_per_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = fake_docker(tmp_path, "20.10.24")
    asked = tmp_path / "asked"
    text = client.read_text().replace(
        "if argv[:1] == ['version']:\n",
        f"if argv[:1] == ['version']:\n    open({str(asked)!r}, 'a').write('x')\n",
    )
    client.write_text(text)
    monkeypatch.setenv(buildkit.CLIENT_ENV, str(client))
    assert find_client() is not None
    find_client.cache_clear()
    assert find_client() is not None  # a new process would find it the same way
    assert asked.read_text() == "x"
    client.write_text(text.replace("20.10.24", "20.10.25"))  # a changed binary is asked again
    find_client.cache_clear()
    found = find_client()
    assert found is not None and found.version == "20.10.25"


@pytest.mark.usefixtures("client_cache")
def test_a_client_older_than_23_drives_buildkit_without_buildx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(buildkit.CLIENT_ENV, str(fake_docker(tmp_path, "20.10.24")))
    assert find_client() == BuildKitClient(str(tmp_path / "docker"), "20.10.24", needs_buildx=False)


@pytest.mark.usefixtures("client_cache")
def test_a_new_client_needs_buildx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(buildkit.CLIENT_ENV, str(fake_docker(tmp_path, "28.1.1")))
    assert find_client() is None
    find_client.cache_clear()
    monkeypatch.setenv(buildkit.CLIENT_ENV, str(fake_docker(tmp_path, "28.1.1", buildx=True)))
    client = find_client()
    assert client is not None and client.needs_buildx


def test_auto_picks_buildkit_only_with_a_client_and_a_recent_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(buildkit, "find_client", lambda: CLIENT)
    assert resolve_builder("auto", "1.41")[0] == "buildkit"
    assert resolve_builder("auto", "1.38") == ("classic", "auto: engine too old")
    assert resolve_builder("classic", "1.41") == ("classic", "asked for")
    monkeypatch.setattr(buildkit, "find_client", lambda: None)
    assert resolve_builder("auto", "1.41") == (
        "classic",
        "auto: no docker client that drives BuildKit",
    )
    with pytest.raises(UsageError, match="needs a docker client that can drive BuildKit"):
        resolve_builder("buildkit", "1.41")


# ---------------------------------------------------------------------------------------------
# A build through the stand-in client


@pytest.mark.usefixtures("client_cache")
def test_build_sends_the_dockerfile_on_stdin_and_returns_the_iidfile_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = fake_docker(
        tmp_path,
        "20.10.24",
        build=(
            "print('#5 [1/2] RUN make')\n"
            "print('#5 0.100 made')\n"
            "open(argv[argv.index('--iidfile') + 1], 'w').write('sha256:feed')\n"
        ),
    )
    monkeypatch.setenv(buildkit.CLIENT_ENV, str(script))
    monkeypatch.setenv("API_TOKEN", "tok-not-on-the-command-line")
    secret_file = tmp_path / "npmrc"
    secret_file.write_text("file-secret-not-on-the-command-line")
    outputs: list[BuildOutput] = []
    secrets = (SecretSource("npmrc", file=secret_file), SecretSource("token", env="API_TOKEN"))
    image_id = buildkit.build(
        request(tmp_path, secrets=secrets), "unix:///run/x.sock", outputs.append
    )
    assert image_id == "sha256:feed"
    assert [output.text for output in outputs] == ["Step 1/2 : RUN make", "made"]
    record = json.loads((tmp_path / "record.json").read_text())
    assert record["stdin"] == "FROM local/busybox:1\n"
    assert record["env"]["DOCKER_HOST"] == "unix:///run/x.sock"
    assert record["env"]["DOCKER_BUILDKIT"] == "1"
    command_line = " ".join(record["argv"])
    assert "tok-not-on-the-command-line" not in command_line
    assert "file-secret-not-on-the-command-line" not in command_line
    assert (
        f"id=npmrc,src={secret_file}" in command_line and "id=token,env=API_TOKEN" in command_line
    )


@pytest.mark.usefixtures("client_cache")
def test_a_failed_step_raises_with_the_step_and_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "".join(f"print({line!r})\n" for line in FAILED_BUILD.splitlines())
    monkeypatch.setenv(
        buildkit.CLIENT_ENV, str(fake_docker(tmp_path, "20.10.24", build=body + "sys.exit(1)\n"))
    )
    with pytest.raises(StepFailed) as failure:
        buildkit.build(request(tmp_path), "unix:///run/x.sock", lambda output: None)
    assert failure.value.step == "Step 3/3 [stage-1] : RUN echo line1 && echo line2 >&2 && exit 3"
    assert failure.value.log == ("line1", "line2")
    assert "exit code: 3" in failure.value.message


@pytest.mark.usefixtures("client_cache")
def test_a_failed_build_s_reason_carries_the_client_s_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = (DATA / "buildkit_parse_error.txt").read_text()
    body = "".join(f"print({line!r})\n" for line in recorded.splitlines())
    monkeypatch.setenv(
        buildkit.CLIENT_ENV, str(fake_docker(tmp_path, "20.10.24", build=body + "sys.exit(1)\n"))
    )
    with pytest.raises(StepFailed) as failure:
        buildkit.build(request(tmp_path), "unix:///run/x.sock", lambda output: None)
    assert "dockerfile parse error line 3: unknown instruction: HELLO" in failure.value.message
    assert "exited with" not in failure.value.message


@pytest.mark.usefixtures("client_cache")
def test_a_missing_secret_source_fails_before_the_client_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(buildkit.CLIENT_ENV, str(fake_docker(tmp_path, "20.10.24")))
    monkeypatch.delenv("IMGBUILD_TEST_UNSET", raising=False)
    with pytest.raises(BuildError, match="environment variable IMGBUILD_TEST_UNSET is not set"):
        buildkit.build(
            request(tmp_path, secrets=(SecretSource("token", env="IMGBUILD_TEST_UNSET"),)),
            "unix:///run/x.sock",
            lambda output: None,
        )
    with pytest.raises(BuildError, match="does not exist"):
        buildkit.build(
            request(tmp_path, secrets=(SecretSource("npmrc", file=tmp_path / "absent"),)),
            "unix:///run/x.sock",
            lambda output: None,
        )
    assert not (tmp_path / "record.json").exists()


@pytest.mark.usefixtures("client_cache")
def test_a_client_that_succeeds_without_an_image_id_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(buildkit.CLIENT_ENV, str(fake_docker(tmp_path, "20.10.24")))
    with pytest.raises(BuildError, match="without an image ID"):
        buildkit.build(request(tmp_path), "unix:///run/x.sock", lambda output: None)


def test_the_client_config_of_a_build_adds_the_cache_s_credentials(tmp_path: Path) -> None:
    import json
    import stat

    from builder.buildkit import client_config
    from builder.records import RegistryLogin

    home = tmp_path / "docker"
    (home / "cli-plugins").mkdir(parents=True)
    (home / "config.json").write_text(
        json.dumps(
            {
                "auths": {"other:5000": {"auth": "b3RoZXI6b25l"}},
                "credHelpers": {"helped:5000": "pass"},
                "proxies": {"default": {"noProxy": "localhost"}},
            }
        )
    )
    logins = (
        RegistryLogin("cache:5000", "dave", "s3cret"),
        RegistryLogin("helped:5000", "dave", "not-used"),
        RegistryLogin("tokens:5000", "<token>", "identity"),
    )
    (tmp_path / "scratch").mkdir()  # the build's own (a TemporaryDirectory)
    made = client_config(tmp_path / "scratch", logins, {"DOCKER_CONFIG": str(home)})
    assert made is not None
    written = json.loads((made / "config.json").read_text())
    assert written["auths"] == {
        "other:5000": {"auth": "b3RoZXI6b25l"},  # the user's own, kept
        "cache:5000": {"auth": "ZGF2ZTpzM2NyZXQ="},  # dave:s3cret
        "tokens:5000": {"identitytoken": "identity"},
    }
    assert written["credHelpers"] == {"helped:5000": "pass"}  # its helper answers for it
    assert written["proxies"] == {"default": {"noProxy": "localhost"}}
    assert stat.S_IMODE((made / "config.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert (made / "cli-plugins").resolve() == (home / "cli-plugins").resolve()
    assert "s3cret" not in repr(logins)

    # A credsStore answers for every registry: the user's config is left as it is.
    (home / "config.json").write_text(json.dumps({"credsStore": "secretservice"}))
    (tmp_path / "again").mkdir()
    assert client_config(tmp_path / "again", logins, {"DOCKER_CONFIG": str(home)}) is None
