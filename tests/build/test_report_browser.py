"""The report of a real run, loaded by headless Chromium: what a person opening it would see.

The DOM is read after the page's scripts ran (`--dump-dom`); the page must hold a row and a bar
for every image, the failure section for a failing run, the graph drawn by Graphviz, and no
http(s) address anywhere a browser would fetch from. A screenshot is left in the test's
temporary folder as an artifact.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from realparts import executable

from builder.cli import run
from tests.build.helpers import write_project
from tests.test_report_html import Elements, parse

pytestmark = pytest.mark.engine


def project(root: Path, prefix: str, base: str, *, failing: bool) -> Path:
    config = ""
    files = {"base/Dockerfile": f"FROM {base}\nRUN echo base > /base.txt\n"}
    names = ["base", "api", "web"] + (["bad"] if failing else [])
    for name in names:
        config += f'[images.{name}]\ncontext = "{name}"\nrepository = "{prefix}/{name}"\n\n'
    files["api/Dockerfile"] = f"FROM {prefix}/base:latest\nRUN echo api\n"
    files["web/Dockerfile"] = f"FROM {prefix}/base:latest\nCOPY --from={prefix}/api /base.txt /\n"
    files["bad/Dockerfile"] = f"FROM {prefix}/base:latest\nRUN echo fine\nRUN echo before; exit 3\n"
    return write_project(root, config, files)


def chromium(url: str, profile: Path, *args: str) -> str:
    program = executable("chromium", "apt-get install chromium")
    completed = subprocess.run(
        [
            program,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def load(report: Path, tmp_path: Path) -> Elements:
    """The report's DOM after its scripts ran, and a screenshot of it beside the report."""
    dom = chromium(report.as_uri(), tmp_path / "profile-dom", "--dump-dom")
    screenshot = tmp_path / "report.png"
    chromium(
        report.as_uri(),
        tmp_path / "profile-shot",
        f"--screenshot={screenshot}",
        "--window-size=1400,1000",
    )
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    elements = parse(dom)
    body = next(attrs for tag, attrs in elements.tags if tag == "body")
    assert body.get("data-ready") == "1"  # the page's script ran
    for _, attrs in elements.tags:
        for name in ("src", "href", "xlink:href", "action"):
            assert not re.match(r"(?i)\s*https?:", attrs.get(name, "")), attrs
    return elements


def build(config: Path, *args: str) -> int:
    return run(["-f", str(config), "build", "--progress", "plain", "-j", "2", *args])


def test_report_of_a_run_shows_every_image(
    tmp_path: Path, busybox_image: str, unique_name: str
) -> None:
    executable("dot", "apt-get install graphviz")
    config = project(tmp_path / "project", unique_name, busybox_image, failing=False)
    report = tmp_path / "out" / "report.html"
    assert build(config, "--report", str(report)) == 0
    elements = load(report, tmp_path)
    assert set(elements.rows) == {"base", "api", "web"}
    assert all(bars >= 1 for bars in elements.rows.values()), elements.rows
    ids = {attrs.get("id") for _, attrs in elements.tags}
    assert "failures" not in ids
    svg = report.read_text().split("<svg", 1)[1].split("</svg>", 1)[0]
    texts = {t.text for t in ET.fromstring("<svg" + svg + "</svg>").iter() if t.text}
    assert {"base", "api", "web", busybox_image} <= texts


@pytest.mark.parametrize("builder", ["classic", "buildkit"])
def test_report_junit_and_github_outputs_of_a_failing_run(
    tmp_path: Path,
    busybox_image: str,
    unique_name: str,
    builder: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if builder == "buildkit":
        from builder.buildkit import find_client

        if find_client() is None:
            pytest.skip("no docker client that drives BuildKit")
    root = tmp_path / "project"
    config = project(root, unique_name, busybox_image, failing=True)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(root)
    report, junit = tmp_path / "report.html", tmp_path / "junit.xml"
    capsys.readouterr()
    code = build(config, "--builder", builder, "--keep-going", "--report", str(report),
                 "--junit", str(junit))  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1
    assert "::error file=bad/Dockerfile,line=3,title=imgbuild%3A bad::bad failed at " in out, out
    elements = load(report, tmp_path)
    assert set(elements.rows) == {"base", "api", "web", "bad"}
    assert all(bars >= 1 for bars in elements.rows.values()), elements.rows
    failures = [a for t, a in elements.tags if t == "article" and "failure" in a.get("class", "")]
    assert [article["data-image"] for article in failures] == ["bad"]
    assert "before" in report.read_text()  # the log tail of the failed step
    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    failure = cases["bad"].find("failure")
    assert failure is not None and "exit 3" in (failure.get("type") or "")
    assert {name for name, case in cases.items() if case.find("failure") is None} == {
        "base",
        "api",
        "web",
    }
    text = summary.read_text()
    assert "| bad | failed |" in text and "```mermaid" in text
