"""JUnit XML, the Markdown step summary and the error annotations of a run with one failure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from builder.build import load_graph
from builder.ci_report import error_annotations, junit_xml, markdown_summary, step_line
from builder.dockerfile import parse_dockerfile
from builder.events import ImageResult, Status
from builder.graph import Graph
from tests.build.helpers import write_project

CONFIG = (
    '[images.base]\ncontext = "base"\nrepository = "shop/base"\n\n'
    '[images.api]\ncontext = "api"\nrepository = "shop/api"\n\n'
    '[images.web]\ncontext = "web"\nrepository = "shop/web"\n'
)
FILES = {
    "base/Dockerfile": "FROM busybox:1\nRUN true\n",
    "api/Dockerfile": "FROM shop/base:latest\nRUN echo one\nRUN exit 3\nRUN echo three\n",
    "web/Dockerfile": "FROM shop/base:latest\n",
}
RESULTS = (
    ImageResult("base", Status.BUILT, refs=("shop/base:latest",), seconds=1.5, builder="classic"),
    ImageResult(
        "api",
        Status.FAILED,
        seconds=2.25,
        error="The command '/bin/sh -c exit 3' returned a non-zero code: 3",
        failed_step="Step 3/4 : RUN exit 3",
        log_tail=("one", "boom"),
        builder="classic",
    ),
    ImageResult("web", Status.NOT_STARTED, reason="stopped after api failed"),
)


@pytest.fixture
def graph(tmp_path: Path) -> Graph:
    return load_graph(write_project(tmp_path, CONFIG, FILES))[1]


def test_junit_has_a_case_per_image_and_the_failure_carries_step_and_log() -> None:
    suites = ET.fromstring(junit_xml(RESULTS))
    suite = suites.find("testsuite")
    assert suite is not None
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == (
        "imgbuild build",
        "3",
        "1",
    )
    assert suite.get("skipped") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["base", "api", "web"]
    assert cases["base"].get("time") == "1.500"
    failure = cases["api"].find("failure")
    assert failure is not None
    assert failure.get("message") == "The command '/bin/sh -c exit 3' returned a non-zero code: 3"
    assert failure.get("type") == "Step 3/4 : RUN exit 3"
    assert failure.text == "Step 3/4 : RUN exit 3\none\nboom"
    skipped = cases["web"].find("skipped")
    assert skipped is not None and skipped.get("message") == "stopped after api failed"


def test_markdown_summary_has_the_table_the_failure_and_a_mermaid_graph(graph: Graph) -> None:
    text = markdown_summary(RESULTS, graph)
    assert text.startswith("## imgbuild: 3 images, 1 failed\n")
    assert "| base | built | classic | - | 1.5s | shop/base:latest |" in text
    assert "| web | not-started | - | - | 0.0s | stopped after api failed |" in text
    assert "### api failed at `Step 3/4 : RUN exit 3`" in text
    assert "```text\none\nboom\n```" in text
    mermaid = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert mermaid.startswith("graph LR\n")
    assert "classDef failed fill:#f4a6a6" in mermaid


def test_annotation_points_at_the_failed_steps_line(graph: Graph, tmp_path: Path) -> None:
    assert error_annotations(RESULTS, graph, tmp_path) == [
        "::error file=api/Dockerfile,line=3,title=imgbuild%3A api::api failed at Step 3/4 : "
        "RUN exit 3: The command '/bin/sh -c exit 3' returned a non-zero code: 3"
    ]


@pytest.mark.parametrize(
    ("step", "line"),
    [
        ("Step 2/5 : RUN exit 3", 2),  # classic: the text, counted over the whole file
        ("Step 5/5 : RUN exit 3", 5),
        ("Step 2/3 [build] : RUN exit 3", 2),  # BuildKit: per stage, the stage named
        ("Step 2/2 [stage-1] : RUN exit 3", 5),
        ("Step 2/2 [stage-1] : RUN   exit  3", 5),
        ("Step 9/9 [build] : RUN something else", 1),  # unknown text: the stage's FROM
        ("Step 4/5 : RUN something else", 4),  # classic, unknown text: its number
        ("not a step", None),
    ],
)
def test_step_line(step: str, line: int | None) -> None:
    text = "FROM busybox:1 AS build\nRUN exit 3\nRUN true\nFROM busybox:1\nRUN exit 3\n"
    assert step_line(parse_dockerfile(text, None), step) == line


def test_variants_are_named_by_image_and_platform_in_junit_summary_and_annotations(
    tmp_path: Path,
) -> None:
    from tests.test_by_image import VARIANT_RESULTS, variant_graph

    graph = variant_graph(tmp_path)
    cases = [
        case.get("name") for case in ET.fromstring(junit_xml(VARIANT_RESULTS)).iter("testcase")
    ]
    assert cases == [
        "base (linux/amd64)",
        "base (linux/arm64)",
        "app (linux/amd64)",
        "app (linux/arm64)",
    ]
    text = markdown_summary(VARIANT_RESULTS, graph)
    assert text.startswith("## imgbuild: 2 images (4 builds), 1 failed\n")
    assert "| Image | Platform | Status | Builder | Engine | Time | Tags or reason |\n" in text
    assert "|---|---|---|---|---|---:|---|\n" in text
    assert "| app | linux/arm64 | failed | - | - | 2.0s | exit 3 |" in text
    assert "### app (linux/arm64) failed at `Step 2/2 : RUN uname -m`" in text
    mermaid = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert mermaid.count('["app"]') == 1 and "@" not in mermaid
    assert "class n1 failed" in mermaid  # app, by its arm64 variant
    assert error_annotations(VARIANT_RESULTS, graph, tmp_path) == [
        "::error file=app/Dockerfile,line=2,title=imgbuild%3A app (linux/arm64)::"
        "app (linux/arm64) failed at Step 2/2 : RUN uname -m: exit 3"
    ]
