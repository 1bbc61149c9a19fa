"""The one error boundary, `builder.cli.run`: every outcome has its exit code and one line.

0 ok, 1 the work failed, 2 bad input or usage, 3 an unexpected internal error, 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import graph_output
from builder.cli import run
from builder.errors import ExitCode


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-image project, current directory; no engine is needed by `graph`."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "Dockerfile").write_text("FROM scratch\nCOPY a.txt /\n")
    (tmp_path / "imgbuild.toml").write_text('[images.api]\ncontext = "api"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("IMGBUILD_DEBUG", raising=False)
    return tmp_path


def break_graph_output(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    def fail(*_: object) -> str:
        raise error

    monkeypatch.setitem(graph_output.FORMATS, "text", fail)


def test_the_codes() -> None:
    assert {code.name: int(code) for code in ExitCode} == {
        "OK": 0,
        "FAILURE": 1,
        "USAGE": 2,
        "INTERNAL": 3,
        "INTERRUPTED": 130,
    }


def test_ok_is_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph"]) == 0
    assert "api" in capsys.readouterr().out


def test_work_that_failed_is_1(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "api" / "Dockerfile").write_text("FROM debian:latest\n")
    assert run(["lint", "api/Dockerfile"]) == 1
    assert "DL3007" in capsys.readouterr().out


def test_bad_usage_is_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["build", "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_bad_input_is_2_in_one_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["graph", "nosuchimage"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("imgbuild: error: ") and "nosuchimage" in err


def test_an_unexpected_error_is_3_in_one_line_with_the_debug_hint(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    break_graph_output(monkeypatch, RuntimeError("a bug"))
    assert run(["graph"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("imgbuild: error: unexpected error: RuntimeError: a bug")
    assert "IMGBUILD_DEBUG=1" in err
    assert "Traceback" not in err


def test_imgbuild_debug_lets_the_traceback_through(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_graph_output(monkeypatch, RuntimeError("a bug"))
    monkeypatch.setenv("IMGBUILD_DEBUG", "1")
    with pytest.raises(RuntimeError, match="a bug"):
        run(["graph"])


def test_ctrl_c_is_130(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    break_graph_output(monkeypatch, KeyboardInterrupt())
    assert run(["graph"]) == 130
    assert capsys.readouterr().err.strip() == "imgbuild: error: interrupted"
