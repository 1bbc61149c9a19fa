"""The BuildKit builder: the engine's embedded BuildKit, driven through a docker CLI.

The Docker SDK for Python only speaks to the classic builder, so BuildKit builds run a docker
client that can drive the engine's BuildKit without buildx: a client older than 23.0 with
DOCKER_BUILDKIT=1 (Debian's /usr/bin/docker), or any client with the buildx plugin. The image ID
comes from `--iidfile`, never from log text; secrets are passed as `--secret` (by file or by the
name of an environment variable), so their values never appear on a command line, in a build
arg, in the log or in the image.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from builder.config import SecretSource
from builder.credentials import basic_token, docker_config_path, read_docker_config
from builder.digest import cache_dir
from builder.errors import BuildError, UsageError
from builder.files import write_atomically
from builder.graph import ImageNode
from builder.records import (
    BuildCancelled,
    BuildOutput,
    BuildRequest,
    CancelHandle,
    RegistryLogin,
    StepFailed,
)
from builder.versions import version_tuple

CLIENT_ENV = "IMGBUILD_DOCKER_CLI"
_CANDIDATES = ("/usr/bin/docker", "docker")
# "#7 [stage-1 3/4] RUN make" or "#7 [3/4] RUN make"
_STEP_RE = re.compile(r"^#(\d+) \[(?:([^\]]*?) )?(\d+)/(\d+)\] (.*)$")
_VERTEX_RE = re.compile(r"^#(\d+) (.*)$")
# "#7 ..." is the printer leaving vertex 7 for another one; it comes back with its header again.
_CACHE_IMPORT = "importing cache manifest from "  # a vertex of its own, with --cache-from
_NOISE_RE = re.compile(r"^(sha256:[0-9a-f]{64}|DONE [0-9.]+s|CACHED|\.\.\.)$")


@dataclass(frozen=True)
class BuildKitClient:
    path: str
    version: str
    needs_buildx: bool  # a client of 23.0 or newer builds with BuildKit only through buildx


@cache
def find_client() -> BuildKitClient | None:
    """A docker client that can drive the engine's BuildKit, or None."""
    explicit = os.environ.get(CLIENT_ENV)
    for candidate in (explicit,) if explicit else _CANDIDATES:
        path = shutil.which(candidate)
        if path is None:
            continue
        version = _client_version(path)
        if version is None:
            continue
        if version_tuple(version) < (23,):
            return BuildKitClient(path, version, needs_buildx=False)
        if _has_buildx(path):
            return BuildKitClient(path, version, needs_buildx=True)
    return None


def _client_version(path: str) -> str | None:
    """The client's version, remembered per binary (path, size, mtime) across runs.

    Asking the binary costs a process start on every build; the answer only changes when the
    binary does.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    key = f"{path}:{info.st_size}:{info.st_mtime_ns}"
    memo = cache_dir() / "docker-clients.json"
    try:
        known = json.loads(memo.read_text())
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    if key in known:
        return str(known[key]) if known[key] else None
    version = _ask_version(path)
    with contextlib.suppress(OSError):  # parallel builds may write it at once: never half
        write_atomically(memo, json.dumps({**known, key: version}))
    return version


def _ask_version(path: str) -> str | None:
    try:
        result = subprocess.run(
            [path, "version", "--format", "{{.Client.Version}}"],
            capture_output=True,
            text=True,
            timeout=10,
            env=_client_env(None),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    version = result.stdout.strip()
    return version or None


def _has_buildx(path: str) -> bool:
    try:
        result = subprocess.run(
            [path, "buildx", "version"], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def _client_env(engine_url: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if engine_url:
        env["DOCKER_HOST"] = engine_url
    env["DOCKER_BUILDKIT"] = "1"
    env.setdefault("BUILDKIT_PROGRESS", "plain")
    return env


def resolve_builder(requested: str, engine_api_version: str) -> tuple[str, str]:
    """The builder to use for a request of classic, buildkit or auto, and why."""
    client = find_client()
    engine_ok = version_tuple(engine_api_version) >= (1, 39)
    if requested == "classic":
        return "classic", "asked for"
    if requested == "buildkit":
        if client is None:
            raise UsageError(
                "builder = buildkit needs a docker client that can drive BuildKit",
                hint=f"install Debian's docker.io (/usr/bin/docker) or set {CLIENT_ENV}",
            )
        if not engine_ok:
            raise UsageError(f"the engine's API {engine_api_version} has no BuildKit")
        return "buildkit", f"asked for ({client.path})"
    if client is not None and engine_ok:
        return "buildkit", f"auto: {client.path} {client.version} drives the engine's BuildKit"
    reason = "no docker client that drives BuildKit" if client is None else "engine too old"
    return "classic", f"auto: {reason}"


# The first Docker Engine whose built-in Dockerfile frontend parses heredocs without a
# `# syntax=` line: 23.0, which vendors BuildKit 0.10.6, the first BuildKit whose parser has them
# unconditionally (0.9 built them only with the `dfheredoc` tag, for the labs frontend). 20.10
# vendors a 0.8 BuildKit and reads a heredoc's body as instructions ("unknown instruction").
HEREDOC_ENGINE = (23, 0)
_SYNTAX_DIRECTIVE = re.compile(r"^\s*#\s*syntax\s*=", re.IGNORECASE)
_ANY_DIRECTIVE = re.compile(r"^\s*#\s*\w+\s*=")


def check_buildkit_can_parse(node: ImageNode, engine_versions: Iterable[str]) -> None:
    """Fail before any work when the engine's BuildKit cannot parse the Dockerfile's heredocs.

    BuildKit parses the whole Dockerfile whatever the target, so every stage counts. In a pool
    the oldest engine decides, as any engine may get the build. A `# syntax=` line names the
    frontend that parses the file instead (the engine pulls it), and an engine whose version
    does not read as one is given the benefit of the doubt.
    """
    known = [version for version in engine_versions if version_tuple(version)]
    oldest = min(known, key=version_tuple, default=None)
    if oldest is None or version_tuple(oldest) >= HEREDOC_ENGINE:
        return
    if _has_syntax_directive(node.dockerfile_text):
        return
    for instruction in node.dockerfile.instructions:
        if instruction.heredocs:
            raise UsageError(
                f"a {instruction.keyword} heredoc needs BuildKit on Docker Engine "
                f"{'.'.join(map(str, HEREDOC_ENGINE))} or newer, and image {node.spec.name} "
                f"builds on Docker Engine {oldest}, whose Dockerfile frontend predates heredocs",
                path=node.dockerfile_origin,
                line=instruction.line,
                hint="write it as a plain RUN (or COPY a file), or start the Dockerfile with "
                "# syntax=docker/dockerfile:1 where the engine can pull that frontend",
            )


def _has_syntax_directive(text: str) -> bool:
    """Parser directives are the comments `# key=value` before anything else in the file."""
    for line in text.splitlines():
        if _SYNTAX_DIRECTIVE.match(line):
            return True
        if not _ANY_DIRECTIVE.match(line):
            return False
    return False


def build(
    request: BuildRequest,
    engine_url: str,
    on_output: Callable[[BuildOutput], None],
    handle: CancelHandle | None = None,
) -> str:
    """Build with BuildKit; return the image ID. Failures raise StepFailed or BuildError."""
    client = find_client()
    if client is None:
        raise BuildError("no docker client that can drive BuildKit was found")
    with tempfile.TemporaryDirectory(prefix="imgbuild-") as scratch:
        iidfile = Path(scratch) / "iid"
        command = _command(client, request, iidfile)
        env = _client_env(engine_url)
        if request.logins:
            config = client_config(Path(scratch), request.logins, env)
            if config is not None:
                env["DOCKER_CONFIG"] = str(config)
        _check_secrets(request.secrets, env)
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            start_new_session=True,
        )
        if handle is not None:
            handle.attach_process(process)
        reader = _OutputReader(on_output)
        assert process.stdin is not None and process.stdout is not None
        feeder = threading.Thread(target=_feed, args=(process, request.dockerfile_text))
        feeder.start()
        for line in process.stdout:
            reader.read(line.rstrip("\n"))
        code = process.wait()
        feeder.join()
        if handle is not None and handle.cancelled.is_set():
            raise BuildCancelled("cancelled")
        if code != 0:
            raise StepFailed(
                reader.reason(code),
                step=reader.failed_step,
                log=tuple(reader.failed_log()),
            )
        image_id = iidfile.read_text().strip() if iidfile.is_file() else ""
    if not image_id:
        raise BuildError("BuildKit finished without an image ID")
    return image_id


def _feed(process: subprocess.Popen[str], text: str) -> None:
    assert process.stdin is not None
    try:
        process.stdin.write(text)
        process.stdin.close()
    except OSError:
        pass  # the client exited early; its output says why


def _command(client: BuildKitClient, request: BuildRequest, iidfile: Path) -> list[str]:
    command = [client.path, *(("buildx", "build", "--load") if client.needs_buildx else ("build",))]
    command += ["--progress=plain", "--iidfile", str(iidfile), "-f", "-"]
    command += ["--network", request.network if request.network != "default" else "default"]
    if request.no_cache:
        command.append("--no-cache")
    if request.target:
        command += ["--target", request.target]
    if request.platform:
        command += ["--platform", request.platform]
    for ref in request.cache_from:
        command += ["--cache-from", ref]
    if request.inline_cache:  # not an input: set here, never in the image's args
        command += ["--build-arg", "BUILDKIT_INLINE_CACHE=1"]
    for name, value in sorted(request.args.items()):
        command += ["--build-arg", f"{name}={value}"]
    for secret in request.secrets:
        source = f"src={secret.file}" if secret.file is not None else f"env={secret.env}"
        command += ["--secret", f"id={secret.name},{source}"]
    command.append(str(request.context.root))
    return command


def client_config(
    folder: Path, logins: Sequence[RegistryLogin], environ: Mapping[str, str]
) -> Path | None:
    """A docker client config folder in `folder` (the build's private scratch, removed with it):
    the user's config.json with an `auths` entry for each registry of `logins` that no
    credential helper of theirs answers for, so the client reads `--cache-from` refs signed in
    as imgbuild's lookup found (DOCKER_AUTH_CONFIG, the keyring). None when the user's config
    names a `credsStore`: the client would ask it for every registry, ignoring `auths`."""
    source = docker_config_path(environ)
    try:
        document = read_docker_config(source) or {}
    except UsageError:
        document = {}  # unreadable: the client only warns about it, and goes on without
    if document.get("credsStore"):
        return None
    helpers = document.get("credHelpers") or {}
    auths = dict(document.get("auths") or {})
    for login in logins:
        if login.registry not in helpers:
            auths[login.registry] = _auth_entry(login)
    document["auths"] = auths
    target = folder / "docker-config"
    target.mkdir(mode=0o700)
    for kept in ("cli-plugins", "buildx"):  # the client's plugins and builders stay the user's
        if (source.parent / kept).exists():
            (target / kept).symlink_to(source.parent / kept)
    write_atomically(target / "config.json", json.dumps(document), mode=0o600)
    return target


def _auth_entry(login: RegistryLogin) -> dict[str, str]:
    if login.username == "<token>":
        return {"identitytoken": login.secret}
    return {"auth": basic_token(login.username, login.secret)}


def _check_secrets(secrets: tuple[SecretSource, ...], env: dict[str, str]) -> None:
    for secret in secrets:
        if secret.file is not None and not secret.file.is_file():
            raise BuildError(f"secret {secret.name!r}: file {secret.file} does not exist")
        if secret.env is not None and secret.env not in env:
            raise BuildError(
                f"secret {secret.name!r}: environment variable {secret.env} is not set"
            )


class _OutputReader:
    """Maps BuildKit's plain progress to build outputs and remembers the failing step."""

    def __init__(self, on_output: Callable[[BuildOutput], None]) -> None:
        self.on_output = on_output
        self.steps: dict[str, str] = {}  # vertex number -> step line
        self.logs: dict[str, list[str]] = {}
        self.error: str | None = None
        self.failed_step: str | None = None
        self._failed_vertex: str | None = None
        self._last_message: str | None = None  # the client's own last line, outside any vertex

    def read(self, line: str) -> None:
        if not line.strip():
            return
        step = _STEP_RE.match(line)
        if step:
            vertex, stage, number, total, text = step.groups()
            if vertex in self.steps:
                return  # the printer came back to a vertex after "#N ...": the same step
            where = f" [{stage}]" if stage else ""
            label = f"Step {number}/{total}{where} : {text}"
            self.steps[vertex] = label
            self.on_output(BuildOutput(label, int(number), int(total)))
            return
        vertex_line = _VERTEX_RE.match(line)
        if vertex_line:
            vertex, text = vertex_line.groups()
            if text.startswith("ERROR:") or text.startswith("ERROR "):
                self._failed_vertex = vertex
                self.failed_step = self.steps.get(vertex)
                self.error = text.removeprefix("ERROR:").strip()
            saved = text == "CACHED" and " : FROM " not in self.steps.get(vertex, " : FROM ")
            if saved or text.startswith(_CACHE_IMPORT):
                # Which steps a cache saved (a FROM always is), and which registry cache was
                # read: said once.
                self.on_output(BuildOutput(text))
                return
            if _NOISE_RE.match(text) or not self.steps.get(vertex):
                return
            # "#7 0.213 output line": drop BuildKit's timestamp.
            text = re.sub(r"^\d+\.\d+ ", "", text)
            self.logs.setdefault(vertex, []).append(text)
            del self.logs[vertex][:-20]
            self.on_output(BuildOutput(text))
            return
        if line.startswith("error:") or line.startswith("ERROR:"):
            self.error = self.error or line.split(":", 1)[1].strip()
        if not line.startswith(("---", " > ")):  # the box around a failed step's name
            self._last_message = line.strip()
        self.on_output(BuildOutput(line))

    def reason(self, code: int) -> str:
        """Why the build failed: the failing vertex's error, else what the client said last.

        A client of 20.10 prints a Dockerfile the engine cannot parse as one bare line
        ("failed to solve with frontend dockerfile.v0: ... dockerfile parse error line 3: ..."),
        with no vertex and no "error:" prefix.
        """
        return self.error or self._last_message or f"docker build exited with {code}"

    def failed_log(self) -> list[str]:
        if self._failed_vertex is None:
            return []
        return [
            line for line in self.logs.get(self._failed_vertex, []) if not line.startswith("ERROR")
        ]
