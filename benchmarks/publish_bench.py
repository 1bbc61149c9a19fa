"""Publish benchmark: a second `imgbuild publish` of an unchanged graph against `docker push`.

A git repository with 6 images (FROM scratch, a 1 MiB file each) tagged v1.2.3 gets 6 tags per
image (1.2.3, sha, 1.2, 1, latest, main), published to real htpasswd registries on loopback.
After a first publish everything is in the registries; then, in the same run:
- imgbuild: `imgbuild publish` again (build skipped, one manifest GET per ref, nothing pushed);
- reference: Debian's `docker push REF` for each of the same refs (the engine checks every
  layer and re-puts every manifest), and, for information, `docker push --all-tags` per
  repository.
Two rows: one registry (36 refs), and two registries (72 refs), the issue's release set-up of a
public and a private registry in one run. Target: imgbuild / docker push <= 0.3.

Needs a Docker Engine at DOCKER_HOST (`make services`), docker-registry and htpasswd
(scripts/install.sh) and /usr/bin/docker. Run: `.venv/bin/python benchmarks/publish_bench.py`.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from build_bench import compiled_once, timed  # this script's folder is on sys.path

DOCKER = "/usr/bin/docker"
IMGBUILD = [sys.executable, "-m", "builder"]
IMAGES = ("base", "api", "web", "worker", "docs", "admin")
TARGET = 0.3


def run(command: list[str], *, env: dict[str, str], cwd: Path | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextmanager
def registry(root: Path, user: str, password: str) -> Iterator[str]:
    """A docker-registry with htpasswd auth on a free loopback port; stopped by its pid."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    hashed = subprocess.run(
        ["htpasswd", "-Bbn", user, password], capture_output=True, text=True, check=True
    ).stdout
    (root / "htpasswd").write_text(hashed)
    (root / "config.yml").write_text(
        "version: 0.1\nlog: {level: error, accesslog: {disabled: true}}\n"
        f"storage: {{filesystem: {{rootdirectory: {root / 'data'}}}}}\n"
        f"http: {{addr: '{address}'}}\n"
        f"auth: {{htpasswd: {{realm: bench, path: {root / 'htpasswd'}}}}}\n"
    )
    log = (root / "registry.log").open("wb")
    process = subprocess.Popen(
        ["docker-registry", "serve", str(root / "config.yml")],
        stdout=log,
        stderr=log,
        stdin=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://{address}/v2/", timeout=1)
            except urllib.error.HTTPError:
                break  # 401: up
            except OSError:
                time.sleep(0.05)
        yield address
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def make_project(root: Path) -> str:
    """The repository and its config; returns the short sha tag."""
    config = []
    for name in IMAGES:
        (root / name).mkdir(parents=True)
        (root / name / "Dockerfile").write_text(f"FROM scratch\nCOPY {name}.bin /\n")
        (root / name / f"{name}.bin").write_bytes(os.urandom(1 << 20))
        config.append(f'[images.{name}]\ncontext = "{name}"\nrepository = "shop/{name}"\n')
    (root / "imgbuild.toml").write_text("\n".join(config))
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=b@example.test"]
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["commit", "-q", "-m", "bench"],
        ["tag", "v1.2.3"],
    ):
        subprocess.run([*git, *args], check=True, capture_output=True)
    return subprocess.run(
        [*git, "rev-parse", "--short=7", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def compare(
    project: Path, registries: list[str], sha: str, env: dict[str, str]
) -> tuple[int, float, float, float]:
    """Publish twice, then time a third publish against docker push of the same refs."""
    refs = [
        f"{registry}/bench/shop/{name}:{tag}"
        for registry in registries
        for name in IMAGES
        for tag in ("1.2.3", sha, "1.2", "1", "latest", "main")
    ]
    publish = [*IMGBUILD, "-f", str(project / "imgbuild.toml"), "publish"]
    for registry in registries:
        publish += ["--registry", f"{registry}/bench"]
    run(publish, env=env)  # the first, real publish
    again = run(publish, env=env)
    if f"published: {len(refs)} skipped" not in again:
        raise SystemExit(f"the second publish was not a no-op:\n{again}")
    # docker push needs each ref tagged locally; imgbuild tagged only the one it uploaded per
    # image and registry (the version) and copied the rest in the registry.
    for ref in refs:
        run([DOCKER, "tag", f"{ref.rsplit(':', 1)[0]}:1.2.3", ref], env=env)
    ours = timed(lambda: run(publish, env=env))
    per_ref = timed(lambda: [run([DOCKER, "push", "-q", ref], env=env) for ref in refs])
    repositories = sorted({ref.rsplit(":", 1)[0] for ref in refs})
    all_tags = timed(
        lambda: [
            run([DOCKER, "push", "-q", "--all-tags", repository], env=env)
            for repository in repositories
        ]
    )
    return len(refs), ours, per_ref, all_tags


def main() -> None:
    compiled_once()
    for tool in ("docker-registry", "htpasswd", DOCKER):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed; run scripts/install.sh")
    if not os.environ.get("DOCKER_HOST"):
        raise SystemExit("set DOCKER_HOST to an engine (make services; scripts/services.sh env)")
    rows = []
    with tempfile.TemporaryDirectory(prefix="ib-pub-bench.") as temporary, ExitStack() as stack:
        root = Path(temporary)
        user, password = "bench", secrets.token_urlsafe(12)
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        addresses = []
        for number in range(2):
            (root / f"registry{number}").mkdir()
            addresses.append(
                stack.enter_context(registry(root / f"registry{number}", user, password))
            )
        docker_config = root / "docker-config"
        docker_config.mkdir()
        (docker_config / "config.json").write_text(
            json.dumps({"auths": {address: {"auth": token} for address in addresses}})
        )
        env = {
            **os.environ,
            "DOCKER_CONFIG": str(docker_config),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "IMGBUILD_PROGRESS": "plain",
        }
        env.pop("DOCKER_AUTH_CONFIG", None)
        project = root / "repo"
        sha = make_project(project)
        for label, chosen in (("one registry", addresses[:1]), ("two registries", addresses)):
            rows.append((label, *compare(project, chosen, sha, env)))
    print(
        f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}; "
        f"{len(IMAGES)} images x 6 tags, all already in the registries"
    )
    print(f"{'benchmark':58} {'imgbuild':>9} {'reference':>9} {'ratio':>6} {'target':>6}")
    missed = False
    for label, count, ours, per_ref, all_tags in rows:
        ratio = ours / per_ref
        verdict = "ok" if ratio <= TARGET else "MISSED"
        missed |= verdict != "ok"
        print(
            f"{f'second publish vs docker push, {label} ({count} refs)':58} {ours:8.2f}s "
            f"{per_ref:8.2f}s {ratio:6.2f} {TARGET:6.2f} {verdict}"
        )
        print(
            f"{'  (info) vs docker push --all-tags per repository':58} {ours:8.2f}s "
            f"{all_tags:8.2f}s {ours / all_tags:6.2f}"
        )
    if missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
