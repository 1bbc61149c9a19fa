"""What a BuildKit build on the real engine reports: each step once, a failure's cause, and a
heredoc its engine cannot parse, before any build."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from builder.buildkit import HEREDOC_ENGINE
from builder.versions import version_tuple
from tests.build.helpers import write_project
from tests.build.test_buildkit_engine import build, buildkit_client, image_config

pytestmark = pytest.mark.engine
__all__ = ["buildkit_client"]  # the autouse fixture: every test here needs a BuildKit client


def test_each_step_shows_once_when_parallel_stages_interleave(
    tmp_path: Path,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Two stages printing for 12 s each: past 10 s the printer switches between them ("#5 ...")
    # and prints a vertex's header again when it comes back.
    loop = f"echo {unique_name} && for i in $(seq 1 24); do echo {{0}}$i; sleep 0.5; done"
    dockerfile = (
        f"FROM {busybox_image} AS a\nRUN {loop.format('a')}\n"
        f"FROM {busybox_image} AS b\nRUN {loop.format('b')}\n"
        f"FROM {busybox_image}\nCOPY --from=a /bin/sh /a\nCOPY --from=b /bin/sh /b\n"
    )
    config = write_project(
        tmp_path, image_config(unique_name, "app"), {"app/Dockerfile": dockerfile}
    )
    code, _, output = build(config, capsys, "--builder", "buildkit")
    assert code == 0, output
    # The printer did switch: each stage's lines come in more than one run.
    runs = re.findall(r"^\[app\] ([ab])\d+$", output, re.MULTILINE)
    assert sum(1 for one, two in itertools.pairwise(runs) if one != two) >= 2, output
    steps = [line for line in output.splitlines() if line.startswith("[app] Step ")]
    assert len(steps) == len(set(steps)) == 5, "\n".join(steps)
    assert "[app] ...\n" not in output + "\n"


def test_a_failure_s_reason_is_the_cause_the_client_printed(
    tmp_path: Path,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dockerfile = f"FROM {busybox_image}\nHELLO {unique_name}\n"
    config = write_project(
        tmp_path, image_config(unique_name, "app"), {"app/Dockerfile": dockerfile}
    )
    code, images, output = build(config, capsys, "--builder", "buildkit")
    assert code == 1, output
    assert images["app"]["status"] == "failed"
    assert "unknown instruction: HELLO" in images["app"]["error"]
    assert "exited with" not in images["app"]["error"]
    summary = output[output.rindex("app") :]
    assert "unknown instruction: HELLO" in summary


def test_a_heredoc_the_engine_cannot_parse_fails_at_plan_time_and_nothing_is_built(
    tmp_path: Path,
    docker_client: Any,
    busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_project(
        tmp_path,
        image_config(unique_name, "plain") + image_config(unique_name, "app"),
        {
            "plain/Dockerfile": f"FROM {busybox_image}\nRUN echo {unique_name} > /plain\n",
            "app/Dockerfile": f"FROM {busybox_image}\nRUN <<EOF\necho {unique_name} > /app\nEOF\n",
        },
    )
    code, images, output = build(config, capsys, "--builder", "buildkit")
    if version_tuple(docker_client.version()["Version"]) >= HEREDOC_ENGINE:
        assert code == 0, output  # an engine whose BuildKit parses heredocs builds it
        return
    import docker.errors

    assert code == 2, output
    dockerfile = tmp_path / "app" / "Dockerfile"
    assert (
        f"imgbuild: error: {dockerfile}:2: a RUN heredoc needs BuildKit on Docker Engine" in output
    )
    assert images == {}
    for name in ("plain", "app"):
        with pytest.raises(docker.errors.ImageNotFound):
            docker_client.images.get(f"{unique_name}/{name}:latest")
