"""The files a run leaves: --junit, --report, and GitHub's step summary and annotations."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from builder.build import load_graph
from builder.cli.outputs import RunOutputs, write_outputs
from builder.events import ImageFinished, RunStarted
from builder.timeline import Recorder
from tests.build.helpers import write_project
from tests.test_ci_report import CONFIG, FILES, RESULTS


def recorded() -> Recorder:
    recorder = Recorder(lambda event: None)
    recorder(RunStarted(tuple(r.name for r in RESULTS), 2, "local"))
    for result in RESULTS:
        recorder(ImageFinished(result))
    return recorder


def test_outside_github_only_the_files_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    graph = load_graph(write_project_at(tmp_path))[1]
    stream = io.StringIO()
    outputs = RunOutputs(junit=tmp_path / "out" / "junit.xml", report=tmp_path / "report.html")
    write_outputs(outputs, graph, RESULTS, recorded(), stream)
    assert ET.parse(tmp_path / "out" / "junit.xml").getroot().tag == "testsuites"
    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert stream.getvalue() == ""


def test_in_github_the_summary_is_appended_and_the_failure_annotated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "step_summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(tmp_path)
    graph = load_graph(write_project_at(tmp_path))[1]
    stream = io.StringIO()
    write_outputs(RunOutputs(), graph, RESULTS, recorded(), stream)
    text = summary.read_text()
    assert text.startswith("earlier step\n## imgbuild: 3 images, 1 failed\n")
    assert "```mermaid\ngraph LR\n" in text
    assert stream.getvalue().startswith(
        "::error file=api/Dockerfile,line=3,title=imgbuild%3A api::"
    )


def write_project_at(root: Path) -> Path:
    return write_project(root, CONFIG, FILES)
