"""Supply-chain benchmark: publish with an SBOM, provenance and a signature against plain publish.

A git repository with 3 images (FROM local/debian:12, a 1 MiB file each; Debian so that Syft has
real packages to list) is built once, then published in the same run to a real htpasswd registry
on loopback, each publish into a fresh namespace so that both push everything:
- plain: `imgbuild publish --no-provenance` (the images and their tags only);
- signed: `imgbuild publish --sign-key env:...` (provenance is on by default): each digest gets
  `.sig` and a signed `.att` before its moving tags;
- supply: the same with `--sbom`: Syft scans each image, and each digest also gets `.sbom`.
The three alternate, 3 times each; the medians and the overhead per image are printed. No target:
the issue asks for the overhead to be visible.

Needs a Docker Engine at DOCKER_HOST with local/debian:12 (`make services`), docker-registry and
htpasswd (scripts/install.sh) and Syft (the dev extra). Run:
`.venv/bin/python benchmarks/supply_bench.py`.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_bench import compiled_once  # this script's folder is on sys.path
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from publish_bench import registry, run  # this script's folder is on sys.path when run as one

IMGBUILD = [sys.executable, "-m", "builder"]
BASE = "local/debian:12"
IMAGES = ("api", "web", "worker")
REPEAT = 3


def make_project(root: Path) -> None:
    config = []
    for name in IMAGES:
        (root / name).mkdir(parents=True)
        (root / name / "Dockerfile").write_text(f"FROM {BASE}\nCOPY {name}.bin /\n")
        (root / name / f"{name}.bin").write_bytes(os.urandom(1 << 20))
        config.append(f'[images.{name}]\ncontext = "{name}"\nrepository = "shop/{name}"\n')
    (root / "imgbuild.toml").write_text("\n".join(config))
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=b@example.test"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "bench"]):
        subprocess.run([*git, *args], check=True, capture_output=True)


def signing_key() -> str:
    return (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


VARIANTS = {
    "plain": ["--no-provenance"],
    "signed": ["--sign-key", "env:IMGBUILD_BENCH_SIGN_KEY"],  # and provenance, the default
    "supply": ["--sbom", "--sign-key", "env:IMGBUILD_BENCH_SIGN_KEY"],
}


def compare(project: Path, address: str, env: dict[str, str]) -> dict[str, float]:
    """Median seconds of each variant's publish, alternating, each into a fresh namespace."""
    base = [*IMGBUILD, "-f", str(project / "imgbuild.toml"), "publish"]
    samples: dict[str, list[float]] = {kind: [] for kind in VARIANTS}
    for number in range(REPEAT):
        for kind, extra in VARIANTS.items():
            command = [*base, "--registry", f"{address}/{kind}{number}", *extra]
            start = time.perf_counter()
            output = run(command, env=env)
            samples[kind].append(time.perf_counter() - start)
            if kind != "plain" and output.count("signed     ") != len(IMAGES):
                raise SystemExit(f"the {kind} publish did not sign every image:\n{output}")
    return {kind: statistics.median(times) for kind, times in samples.items()}


def main() -> None:
    compiled_once()
    for tool in ("docker-registry", "htpasswd"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed; run scripts/install.sh")
    if not os.environ.get("DOCKER_HOST"):
        raise SystemExit("set DOCKER_HOST to an engine (make services; scripts/services.sh env)")
    with tempfile.TemporaryDirectory(prefix="ib-supply-bench.") as temporary:
        root = Path(temporary)
        user, password = "bench", secrets.token_urlsafe(12)
        (root / "registry").mkdir()
        with registry(root / "registry", user, password) as address:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            env = {
                **os.environ,
                "DOCKER_AUTH_CONFIG": json.dumps({"auths": {address: {"auth": token}}}),
                "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                "IMGBUILD_PROGRESS": "plain",
                "IMGBUILD_BENCH_SIGN_KEY": signing_key(),
            }
            project = root / "repo"
            make_project(project)
            run([*IMGBUILD, "-f", str(project / "imgbuild.toml"), "build"], env=env)
            times = compare(project, address, env)
    print(
        f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}; "
        f"{len(IMAGES)} images FROM {BASE}, built once, each publish into a fresh namespace; "
        f"medians of {REPEAT}"
    )
    count = len(IMAGES)
    print(f"{'publish':48} {'seconds':>8} {'per image':>10} {'overhead/image':>15}")
    for kind, label in (
        ("plain", "plain (--no-provenance)"),
        ("signed", "--sign-key (signature + signed provenance)"),
        ("supply", "--sbom --sign-key (SBOM + the above)"),
    ):
        extra = (times[kind] - times["plain"]) / count
        print(f"{label:48} {times[kind]:7.2f}s {times[kind] / count:9.2f}s {extra:14.2f}s")


if __name__ == "__main__":
    main()
