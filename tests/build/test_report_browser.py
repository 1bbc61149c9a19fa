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


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("app", [("app", "linux/amd64"), ("app", "linux/arm64")]),
        ("arm64", [("base", "linux/arm64"), ("app", "linux/arm64")]),
        ("", [(i, p) for i in ("base", "app") for p in ("linux/amd64", "linux/arm64")]),
    ],
)
def test_the_search_box_finds_every_platform_of_an_image_by_its_name(
    tmp_path: Path, query: str, shown: list[tuple[str, str]]
) -> None:
    """In the browser, with the box holding `query` when the page's script runs."""
    from tests.test_by_image import variant_graph
    from tests.test_report_html import variant_report

    text = variant_report(variant_graph(tmp_path / "project"))
    searched = text.replace('<input id="search"', f'<input id="search" value="{query}"', 1)
    report = tmp_path / "report.html"
    report.write_text(searched)
    dom = chromium(report.as_uri(), tmp_path / "profile", "--dump-dom")
    elements = parse(dom)
    rows = [
        (attrs["data-image"], attrs["data-platform"], "hidden" in attrs["class"].split())
        for tag, attrs in elements.tags
        if tag == "div" and "row" in attrs.get("class", "").split()
    ]
    assert [(image, platform) for image, platform, hidden in rows if not hidden] == shown
    assert len(rows) == 4
    assert f'<span class="count">{len(shown)} images</span>' in dom  # the lane's count


def test_a_run_of_two_platforms_shows_a_row_per_platform_and_a_box_per_image(
    tmp_path: Path,
    arm64_busybox_image: str,
    unique_name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """base and app for amd64 and arm64 (under qemu); app's arm64 variant fails."""
    from builder.buildkit import find_client
    from tests.build.platform_project import two_platform_project

    if find_client() is None:
        pytest.skip("no docker client that drives BuildKit")
    executable("dot", "apt-get install graphviz")
    monkeypatch.delenv("IMGBUILD_BUILDER", raising=False)
    config = two_platform_project(tmp_path / "project", unique_name)
    dockerfile = config.parent / "app" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + 'RUN [ "$(uname -m)" != aarch64 ]\n')
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report, junit = tmp_path / "report.html", tmp_path / "junit.xml"
    code = build(config, "--keep-going", "--report", str(report), "--junit", str(junit))
    assert code == 1, capsys.readouterr()
    elements = load(report, tmp_path)
    rows = [
        (attrs["data-image"], attrs.get("data-platform"), attrs["class"].split()[1])
        for tag, attrs in elements.tags
        if tag == "div" and "row" in attrs.get("class", "").split()
    ]
    assert sorted((image, platform) for image, platform, _ in rows) == [
        ("app", "linux/amd64"),
        ("app", "linux/arm64"),
        ("base", "linux/amd64"),
        ("base", "linux/arm64"),
    ]
    failed = [(image, platform) for image, platform, status in rows if status == "failed"]
    assert failed == [("app", "linux/arm64")]
    text = report.read_text()
    assert "<h3>app (linux/arm64) failed at " in text
    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    tree = ET.fromstring("<svg" + svg + "</svg>")
    boxes = [  # each node's <title> is its name in the dot graph
        next(child.text or "" for child in node if child.tag.endswith("title"))
        for node in tree.iter()
        if node.get("class") == "node"
    ]
    assert sorted(box for box in boxes if not box.startswith("base:")) == ["app", "base"]
    drawn = [t.text for t in tree.iter() if t.text]
    assert drawn.count("failed") == 1  # app, by its arm64 variant
    cases = [case.get("name", "") for case in ET.parse(junit).getroot().iter("testcase")]
    assert sorted(cases) == [
        "app (linux/amd64)",
        "app (linux/arm64)",
        "base (linux/amd64)",
        "base (linux/arm64)",
    ]
    assert "| app | linux/arm64 | failed |" in summary.read_text()
