"""The files a build or publish leaves besides the terminal: JUnit XML, the HTML report, and in
GitHub Actions the step summary and an error annotation per failed step."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from builder.events import ImageResult
from builder.graph import Graph
from builder.timeline import Recorder

if TYPE_CHECKING:
    from builder.publish import RefResult


@dataclass(frozen=True)
class RunOutputs:
    junit: Path | None = None  # --junit
    report: Path | None = None  # --report
    title: str = "imgbuild build"


def write_outputs(
    outputs: RunOutputs,
    graph: Graph,
    results: Sequence[ImageResult],
    recorder: Recorder,
    stream: IO[str],
    refs: Sequence[RefResult] = (),
) -> None:
    """Write what was asked for; with GITHUB_STEP_SUMMARY set, append the Markdown summary to
    it and print a `::error` annotation per failed image to `stream`."""
    # Each imported only when asked for: most runs write none of them.
    if outputs.junit is not None:
        from builder.ci_report import junit_xml
        from builder.files import write_atomically

        write_atomically(outputs.junit, junit_xml(results, refs))
    if outputs.report is not None:
        from builder.report_html import write_report

        write_report(
            outputs.report, results, recorder.events, graph, refs=refs, title=outputs.title
        )
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        from builder.ci_report import append_step_summary, error_annotations, markdown_summary

        append_step_summary(Path(step_summary), markdown_summary(results, graph, refs))
        for line in error_annotations(results, graph):
            stream.write(line + "\n")
        stream.flush()
