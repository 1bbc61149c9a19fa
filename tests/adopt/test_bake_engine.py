"""`imgbuild init --from docker-bake.hcl`, then `imgbuild build` on the real engine: a target's
`dockerfile-inline` (a heredoc, with Bake's variables and `$${ARG}` escapes) builds as Bake
would build it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from builder.cli import run
from tests.adopt.helpers import lay_out, written_images

pytestmark = pytest.mark.engine


def test_an_inline_dockerfile_builds_as_bake_reads_it(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("BASE", raising=False)
    bake = f"""\
variable "BASE" {{
  default = "{busybox_image}"
}}
target "tool" {{
  tags = ["{unique_name}/tool:1"]
  args = {{ GREETING = "hello {unique_name}" }}
  dockerfile-inline = <<-EOT
    FROM ${{BASE}}
    ARG GREETING
    RUN echo "$${{GREETING}}" \\
      > /greeting
    EOT
}}
"""
    root = lay_out(tmp_path / "project", {"docker-bake.hcl": bake})
    assert run(["init", str(root), "--from", str(root / "docker-bake.hcl"), "--yes"]) == 0
    assert written_images(root)["tool"]["dockerfile"] == "dockerfiles/tool.Dockerfile"
    capsys.readouterr()
    code = run(["-f", str(root / "imgbuild.toml"), "build", "--progress", "plain"])
    assert code == 0, capsys.readouterr()
    output: bytes = docker_client.containers.run(
        f"{unique_name}/tool:1", ["cat", "/greeting"], remove=True, network_mode="none"
    )
    assert output.decode() == f"hello {unique_name}\n"
