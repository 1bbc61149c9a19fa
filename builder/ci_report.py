"""A run's results where pipelines show them: JUnit XML, a Markdown summary for GitHub's step
summary, and `::error file=...,line=...::` annotations on the failed step's Dockerfile line.

A failed step is reported by its builder as a label: the classic builder's
"Step 3/7 : RUN make" (steps counted over the whole Dockerfile sent) or BuildKit's
"Step 2/4 [build] : RUN make" (counted per stage, named by its stage). Both carry the
instruction's text, which is how the step is found in the Dockerfile; when no instruction has
that text, the classic builder's number picks the instruction, and for BuildKit the line of the
stage's FROM is all that is known.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from builder.by_image import has_platforms, headline, image_graph, image_statuses, result_label
from builder.dockerfile import Dockerfile, Instruction
from builder.events import ImageResult, Status
from builder.graph import Graph
from builder.graph_output import as_mermaid
from builder.platforms import image_of

if TYPE_CHECKING:
    from builder.publish import RefResult

_STEP_RE = re.compile(r"^Step (\d+)/\d+(?: \[([^\]]*)\])? : (.*)$", re.DOTALL)
_BUILDKIT_STAGE_RE = re.compile(r"^stage-(\d+)$")


# ---------------------------------------------------------------------------------------------
# JUnit


def junit_xml(results: Sequence[ImageResult], refs: Sequence[RefResult] = ()) -> str:
    """JUnit XML: a test suite of builds (one case per image) and, for a publish, of refs."""
    suites = ET.Element("testsuites", name="imgbuild")
    build = _suite(suites, "imgbuild build", sum(r.seconds for r in results))
    for result in results:
        case = ET.SubElement(
            build, "testcase", classname="imgbuild.build", name=result_label(result),
            time=f"{result.seconds:.3f}",
        )  # fmt: skip
        if result.status is Status.FAILED:
            failure = ET.SubElement(case, "failure", message=result.error or "failed")
            failure.set("type", result.failed_step or "build")
            failure.text = "\n".join([result.failed_step or "", *result.log_tail]).strip()
        elif result.status is Status.NOT_STARTED:
            ET.SubElement(case, "skipped", message=result.reason or "not started")
        else:
            output = ET.SubElement(case, "system-out")
            output.text = f"{result.status.value}: {', '.join(result.refs) or result.reason}"
    if refs:
        publish = _suite(suites, "imgbuild publish", 0.0)
        for ref in refs:
            case = ET.SubElement(
                publish, "testcase", classname=f"imgbuild.publish.{ref.target.image}",
                name=ref.target.ref,
            )  # fmt: skip
            status = ref.status.value
            if status == "failed":
                ET.SubElement(case, "failure", message=ref.detail or "failed").text = ref.detail
            elif status == "not pushed":
                ET.SubElement(case, "skipped", message="not attempted after an earlier failure")
            else:
                ET.SubElement(case, "system-out").text = f"{status}: {ref.detail}"
    for suite in suites:
        cases = list(suite)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        suite.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _suite(parent: ET.Element, name: str, seconds: float) -> ET.Element:
    return ET.SubElement(parent, "testsuite", name=name, time=f"{seconds:.3f}")


# ---------------------------------------------------------------------------------------------
# Markdown (GitHub's step summary)


def markdown_summary(
    results: Sequence[ImageResult], graph: Graph, refs: Sequence[RefResult] = ()
) -> str:
    """The summary table (a Platform column when the run has variants), each failure's step
    and log tail, and the graph of images as Mermaid, coloured by each image's status."""
    platforms = has_platforms(results)
    column, rule = ("Platform | ", "---|") if platforms else ("", "")
    lines = [
        f"## imgbuild: {headline(results)}",
        "",
        f"| Image | {column}Status | Builder | Engine | Time | Tags or reason |",
    ]
    lines.append(f"|---|{rule}---|---|---|---:|---|")
    for r in results:
        detail = ", ".join(r.refs) if r.refs else (r.reason or r.error or "")
        platform = f"{r.platform or '-'} | " if platforms else ""
        lines.append(
            f"| {_cell(image_of(r.name))} | {platform}{r.status.value} | {r.builder or '-'} "
            f"| {r.engine or '-'} | {r.seconds:.1f}s | {_cell(detail)} |"
        )
    for r in results:
        if r.status is Status.FAILED:
            where = f" at `{_cell(r.failed_step)}`" if r.failed_step else ""
            lines += ["", f"### {result_label(r)} failed{where}", "", _cell(r.error or ""), ""]
            if r.log_tail:
                lines += ["```text", *r.log_tail, "```"]
    if refs:
        lines += ["", "| Image | Ref | Result |", "|---|---|---|"]
        lines += [
            f"| {_cell(x.target.image)} | {_cell(x.target.ref)} | {x.status.value} |" for x in refs
        ]
    mermaid = as_mermaid(image_graph(graph), image_statuses(results))
    lines += ["", "```mermaid", mermaid, "```", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def append_step_summary(path: Path, text: str) -> None:
    """Append to GitHub's step summary file (other steps' summaries stay: it is appended to)."""
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


# ---------------------------------------------------------------------------------------------
# Annotations


def error_annotations(
    results: Sequence[ImageResult], graph: Graph, workspace: Path | None = None
) -> list[str]:
    """A `::error file=PATH,line=N::` line per failed image, on its failed step's line."""
    workspace = workspace or Path.cwd()
    lines = []
    for result in results:
        node = graph.nodes.get(result.name)
        if result.status is not Status.FAILED or node is None:
            continue
        where = f" at {result.failed_step}" if result.failed_step else ""
        message = f"{result_label(result)} failed{where}: {result.error}"
        path = _relative(node.dockerfile_origin, workspace)
        properties = f"file={_escape_property(path)}"
        if node.spec.dockerfile is not None and result.failed_step:
            line = step_line(node.dockerfile, result.failed_step)
            properties += f",line={line}" if line is not None else ""
        title = f"imgbuild: {result_label(result)}"
        lines.append(f"::error {properties},title={_escape_property(title)}::{_escape(message)}")
    return lines


def step_line(dockerfile: Dockerfile, step: str) -> int | None:
    """The Dockerfile line of a builder's step label (see the module's docstring)."""
    match = _STEP_RE.match(step)
    if match is None:
        return None
    number, stage_name, text = int(match.group(1)), match.group(2), _words(match.group(3))
    stage = _stage_index(dockerfile, stage_name) if stage_name else None
    found = [i for i in dockerfile.instructions if _words(f"{i.keyword} {i.value}") == text]
    if stage is not None:
        found = [i for i in found if i.stage == stage] or found
    if found:
        by_number = _nth(dockerfile, number)
        return (by_number if by_number in found else found[0]).line
    if stage is not None:
        return dockerfile.stages[stage].line
    nth = None if stage_name else _nth(dockerfile, number)
    return nth.line if nth is not None else None


def _words(text: str) -> str:
    return " ".join(text.split()).lower()


def _stage_index(dockerfile: Dockerfile, name: str) -> int | None:
    numbered = _BUILDKIT_STAGE_RE.match(name)
    if numbered and int(numbered.group(1)) < len(dockerfile.stages):
        return int(numbered.group(1))
    stage = dockerfile.stage_by_reference(name)
    return stage.index if stage is not None else None


def _nth(dockerfile: Dockerfile, number: int) -> Instruction | None:
    return (
        dockerfile.instructions[number - 1] if 0 < number <= len(dockerfile.instructions) else None
    )


def _relative(path: Path, workspace: Path) -> str:
    try:
        return str(path.resolve().relative_to(workspace.resolve()))
    except ValueError:
        return str(path)


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape(text).replace(":", "%3A").replace(",", "%2C")
