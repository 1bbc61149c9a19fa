"""The HTML report: self-contained, a row and a bar per image, failures, search, totals."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.build import load_graph
from builder.events import Event, ImageFinished, ImageResult, ImageStarted, RunStarted, Status
from builder.graph import Graph
from builder.report_html import ReportInput, report_html, write_report
from builder.timeline import Row, Segment, Timeline, Totals, timeline
from tests.build.helpers import write_project
from tests.test_ci_report import CONFIG, FILES
from tests.test_timeline import BUILT, FAILED, NOT_STARTED, RUN, record


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <pre>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.rows: dict[str, int] = {}  # image -> bars in its row
        self._row: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        classes = values.get("class", "").split()
        if "row" in classes:
            self._row = values["data-image"]
            self.rows[self._row] = 0
        elif "bar" in classes and self._row is not None:
            self.rows[self._row] += 1


def parse(text: str) -> Elements:
    elements = Elements()
    elements.feed(text)
    return elements


@pytest.fixture
def graph(tmp_path: Path) -> Graph:
    return load_graph(write_project(tmp_path, CONFIG, FILES))[1]


def test_report_of_a_failing_run(graph: Graph, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    write_report(path, (BUILT, FAILED, NOT_STARTED), record(RUN).events, graph)
    text = path.read_text()
    elements = parse(text)
    assert elements.rows == {"base": 4, "api": 4, "web": 1}
    ids = {attrs.get("id") for _, attrs in elements.tags}
    assert {"search", "graph", "timeline", "summary", "failures", "totals"} <= ids
    summary_rows = [a["data-image"] for t, a in elements.tags if t == "tr" and "data-image" in a]
    assert summary_rows == ["base", "api", "web"]
    assert "<h3>api failed</h3><p>boom</p>" in text
    assert "Critical path</dt><dd>base → api (4.0s)" in text
    assert 'title="Step 2/2 : RUN true (1.0s)"' in text
    for _, attrs in elements.tags:
        for name in ("src", "href", "xlink:href"):
            assert not re.match(r"(?i)https?:", attrs.get(name, "")), attrs


def test_without_graphviz_the_graph_is_a_list(graph: Graph) -> None:
    report = ReportInput((BUILT,), timeline(record(RUN).events, graph), graph, graph_svg=None)
    items = [a["data-image"] for t, a in parse(report_html(report)).tags if t == "li"]
    assert items == ["base", "api", "web"]


def test_two_hundred_images_fold_by_engine_and_scroll(graph: Graph) -> None:
    names = [f"image-{number:03}" for number in range(200)]
    rows = tuple(
        Row(name, f"e{number % 3 + 1}", "built", [Segment("building", number, number + 5, "x")])
        for number, name in enumerate(names)
    )
    results = [ImageResult(name, Status.BUILT, seconds=5.0) for name in names]
    totals = Totals(205.0, tuple(names[:1]), 5.0, 5, 4.88)
    text = report_html(ReportInput(results, Timeline(rows, totals), graph, graph_svg="<svg></svg>"))
    elements = parse(text)
    assert sorted(elements.rows) == names
    assert set(elements.rows.values()) == {1}
    lanes = [a for t, a in elements.tags if t == "details" and "lane" in a.get("class", "")]
    assert [lane["data-engine"] for lane in lanes] == ["e1", "e2", "e3"]
    assert all("open" in lane for lane in lanes)
    assert ".timeline{overflow:auto;max-height:75vh" in text


def variant_report(graph: Graph) -> str:
    """The report of a run of base and app for amd64 and arm64, app's arm64 variant failing."""
    from tests.test_by_image import VARIANT_RESULTS

    keys = tuple(result.name for result in VARIANT_RESULTS)
    run: list[tuple[float, Event]] = [(100.0, RunStarted(keys, 2, "local"))]
    for at, result in enumerate(VARIANT_RESULTS, start=101):
        run += [(float(at), ImageStarted(result.name)), (at + 0.5, ImageFinished(result))]
    recorded = timeline(record(run).events, graph)
    return report_html(ReportInput(VARIANT_RESULTS, recorded, graph, graph_svg=None))


def test_variants_are_rows_of_their_image_and_platform(tmp_path: Path) -> None:
    from tests.test_by_image import variant_graph

    text = variant_report(variant_graph(tmp_path))
    elements = parse(text)
    rows = [
        (attrs["data-image"], attrs.get("data-platform"), attrs["class"].split()[1])
        for tag, attrs in elements.tags
        if tag == "div" and "row" in attrs.get("class", "").split()
    ]
    assert rows == [
        ("base", "linux/amd64", "built"),
        ("base", "linux/arm64", "built"),
        ("app", "linux/amd64", "skipped"),
        ("app", "linux/arm64", "failed"),
    ]
    assert (
        '<span class="name" title="app (linux/arm64)">app<small>linux/arm64</small></span>' in text
    )
    summary = [
        (attrs["data-image"], attrs.get("data-platform"))
        for tag, attrs in elements.tags
        if tag == "tr" and "data-image" in attrs
    ]
    assert summary == [(key, platform) for key, platform, _ in rows]
    assert "<th>Image</th><th>Platform</th><th>Status</th>" in text
    assert "<td>app</td><td>linux/arm64</td><td>failed</td>" in text
    assert "<h1>imgbuild build: 2 images (4 builds), 1 failed</h1>" in text
    assert "<h3>app (linux/arm64) failed at Step 2/2 : RUN uname -m</h3>" in text
    # The graph is of images: app once, needing base once.
    items = [(a["data-image"]) for t, a in elements.tags if t == "li"]
    assert items == ["base", "app"]
    assert "app (needs base)" in text
    assert "@linux" not in text.split("<script>")[0]  # no raw key shown anywhere
