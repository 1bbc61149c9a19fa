"""The report of a run (`--report report.html`): one self-contained HTML file.

Everything is inline (CSS, the script, the graph's SVG): the file makes no request, so it opens
offline, from a CI artifact or an e-mail. It holds the graph of images, the timeline (a lane per
engine, a row per image and platform, a bar per waiting time, step, move or push, named on
hover), the summary table, each failure's step and log tail, and the totals. A search box
filters every part by image name (or platform) and lanes fold, so a run of hundreds of images
stays readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from builder.by_image import has_platforms, headline, image_graph, image_statuses, label
from builder.events import ImageResult, Status
from builder.files import write_atomically
from builder.graph import Graph
from builder.platforms import image_of
from builder.timeline import Row, Timed, Timeline, timeline

if TYPE_CHECKING:
    from builder.publish import RefResult

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;
  z-index:2}
h1{font-size:18px;margin:0 0 4px}
dl.totals{display:flex;flex-wrap:wrap;gap:4px 24px;margin:4px 0}
dl.totals dt{font-weight:600}dl.totals dd{margin:0}
#search{width:320px;padding:4px}
main{padding:8px 16px}
details>summary{cursor:pointer;font-weight:600;margin:8px 0}
.graph{overflow:auto;max-height:70vh;background:#fff;border:1px solid #ddd}
.graph svg{max-width:none}
.timeline{overflow:auto;max-height:75vh;background:#fff;border:1px solid #ddd}
.row{display:flex;align-items:center;height:20px;border-bottom:1px solid #f0f0f0}
.row .name{flex:0 0 220px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;padding:0 6px}
.row .name small{color:#666;margin-left:4px}
.track{position:relative;flex:1 1 auto;min-width:600px;height:14px}
.bar{position:absolute;top:0;height:14px;min-width:3px;border-radius:2px;opacity:.9}
.bar.waiting{background:repeating-linear-gradient(45deg,#ddd,#ddd 3px,#f4f4f4 3px,#f4f4f4 6px)}
.bar.building{background:#52b788;border-right:1px solid #fff}
.bar.failed{background:#e5383b;border-right:1px solid #fff}
.bar.skipped{background:#8ecae6}.bar.moved{background:#ffb703}.bar.pushed{background:#8338ec}
.bar.lost{background:#999}.bar.not-started{background:#bbb}
.legend span{display:inline-block;margin-right:12px}
.legend i.bar{position:static;display:inline-block;width:12px;height:12px;margin-right:4px;
  vertical-align:middle}
table{border-collapse:collapse;background:#fff}
td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;white-space:nowrap}
tr.failed td{background:#fde2e2}
#failures article{background:#fff;border:1px solid #e5383b;padding:4px 12px;margin:8px 0}
pre{background:#f4f4f4;padding:6px;overflow:auto;max-height:300px}
.hidden{display:none!important}
"""

_SCRIPT = """
(function(){
  var box=document.getElementById('search');
  function filter(){
    var q=box.value.trim().toLowerCase();
    document.querySelectorAll('[data-image]').forEach(function(el){
      var text=el.getAttribute('data-image')+' '+(el.getAttribute('data-platform')||'');
      var hit=!q||text.toLowerCase().indexOf(q)>=0;
      el.classList.toggle('hidden',!hit);
    });
    document.querySelectorAll('details.lane').forEach(function(lane){
      var shown=lane.querySelectorAll('.row:not(.hidden)').length;
      lane.querySelector('.count').textContent=shown+' images';
    });
  }
  box.addEventListener('input',filter);
  filter();
  document.body.setAttribute('data-ready','1');
})();
"""

_LEGEND = ("waiting", "building", "skipped", "failed", "moved", "pushed", "not-started")


@dataclass(frozen=True)
class ReportInput:
    """What a report is made of: the run's results, its timeline, its graph."""

    results: Sequence[ImageResult]
    timeline: Timeline
    graph: Graph
    graph_svg: str | None = None  # the graph drawn by Graphviz, when it is installed
    refs: Sequence[RefResult] = ()
    title: str = "imgbuild build"


def report_html(report: ReportInput) -> str:
    failed = [r for r in report.results if r.status is Status.FAILED]
    heading = f"{report.title}: {headline(report.results)}"
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(heading)}</title><style>{_STYLE}</style></head><body>",
        f"<header><h1>{escape(heading)}</h1>{_totals(report.timeline)}",
        '<input id="search" type="search" placeholder="Filter images by name" '
        'aria-label="Filter images"></header><main>',
        _graph_section(report),
        _timeline_section(report.timeline),
        _summary_section(report),
        _failures_section(failed),
        f"</main><script>{_SCRIPT}</script></body></html>\n",
    ]
    return "\n".join(part for part in parts if part)


def _totals(timeline: Timeline) -> str:
    totals = timeline.totals
    platforms = {row.image: row.platform for row in timeline.rows}
    path = " → ".join(label(key, platforms.get(key)) for key in totals.critical_path) or "-"
    items = [
        ("Wall time", f"{totals.wall:.1f}s"),
        ("Critical path", f"{path} ({totals.critical_seconds:.1f}s)"),
        ("Parallelism", f"peak {totals.peak_parallelism}, mean {totals.mean_parallelism:.2f}"),
    ]
    cells = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items)
    return f'<dl class="totals" id="totals">{cells}</dl>'


def _graph_section(report: ReportInput) -> str:
    """The graph of images (a variant is no box of its own), as Graphviz drew it or a list."""
    if report.graph_svg is not None:
        body = report.graph_svg
    else:  # no Graphviz: the graph as a list
        items = []
        graph = image_graph(report.graph)
        for name in graph.order():
            needs = ", ".join(graph.dependencies(name))
            text = f"{name} (needs {needs})" if needs else name
            items.append(f'<li data-image="{escape(name)}">{escape(text)}</li>')
        body = f'<ul class="graph-list">{"".join(items)}</ul>'
    return (
        '<details open id="graph"><summary>Graph</summary>'
        f'<div class="graph">{body}</div></details>'
    )


def _timeline_section(timeline: Timeline) -> str:
    wall = max(timeline.totals.wall, 0.001)
    legend = "".join(f'<span><i class="bar {k}"></i>{k}</span>' for k in _LEGEND)
    lanes = []
    for engine, rows in timeline.lanes.items():
        body = "".join(_row(row, wall) for row in rows)
        lanes.append(
            f'<details open class="lane" data-engine="{escape(engine)}"><summary>engine '
            f'{escape(engine)}: <span class="count">{len(rows)} images</span></summary>{body}'
            "</details>"
        )
    return (
        '<details open id="timeline-section"><summary>Timeline</summary>'
        f'<div class="legend">{legend}</div><div class="timeline" id="timeline">'
        f"{''.join(lanes)}</div></details>"
    )


def _row(row: Row, wall: float) -> str:
    bars = []
    for segment in row.segments or []:
        left = 100 * segment.start / wall
        width = 100 * max(segment.end - segment.start, 0.0) / wall
        hover = f"{segment.label} ({segment.end - segment.start:.1f}s)"
        bars.append(
            f'<div class="bar {escape(segment.kind)}" style="left:{left:.3f}%;width:{width:.3f}%"'
            f' title="{escape(hover)}"></div>'
        )
    if not bars:  # interrupted before it started: still a mark in its row
        bars.append(f'<div class="bar not-started" style="left:0%" title="{row.status}"></div>')
    image, platform = image_of(row.image), row.platform
    shown = escape(image) + (f"<small>{escape(platform)}</small>" if platform else "")
    return (
        f'<div class="row {escape(row.status)}"{_data(row.image, platform)}>'
        f'<span class="name" title="{escape(label(image, platform))}">{shown}</span>'
        f'<div class="track">{"".join(bars)}</div></div>'
    )


def _data(name: str, platform: str | None) -> str:
    """The attributes the search box reads: the image's name, and a variant's platform."""
    found = f' data-image="{escape(image_of(name))}"'
    return found + (f' data-platform="{escape(platform)}"' if platform else "")


def _summary_section(report: ReportInput) -> str:
    platforms = has_platforms(report.results)  # a column, as in the terminal's summary
    head = "<tr><th>Image</th>" + ("<th>Platform</th>" if platforms else "")
    head += "<th>Status</th><th>Builder</th><th>Engine</th><th>Time</th>"
    head += "<th>Image ID</th><th>Tags or reason</th></tr>"
    rows = []
    for r in report.results:
        detail = ", ".join(r.refs) if r.refs else (r.reason or r.error or "")
        image_id = r.image_id.removeprefix("sha256:")[:12] if r.image_id else "-"
        cells = [image_of(r.name), *([r.platform or "-"] if platforms else [])]
        cells += [r.status.value, r.builder or "-", r.engine or "-"]
        cells += [f"{r.seconds:.1f}s", image_id, detail]
        tds = "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        rows.append(f'<tr class="{r.status.value}"{_data(r.name, r.platform)}>{tds}</tr>')
    table = f'<table id="summary"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    if report.refs:
        pushed = "".join(
            f'<tr data-image="{escape(x.target.image)}"><td>{escape(x.target.image)}</td>'
            f"<td>{escape(x.target.ref)}</td><td>{escape(x.status.value)}</td>"
            f"<td>{escape(x.detail)}</td></tr>"
            for x in report.refs
        )
        table += (
            '<h3>Refs</h3><table id="refs"><thead><tr><th>Image</th><th>Ref</th><th>Result</th>'
            f"<th>Detail</th></tr></thead><tbody>{pushed}</tbody></table>"
        )
    return f'<details open id="summary-section"><summary>Summary</summary>{table}</details>'


def _failures_section(failed: Sequence[ImageResult]) -> str:
    if not failed:
        return ""
    articles = []
    for r in failed:
        where = f" at {r.failed_step}" if r.failed_step else ""
        log = f"<pre>{escape(chr(10).join(r.log_tail))}</pre>" if r.log_tail else ""
        articles.append(
            f'<article class="failure"{_data(r.name, r.platform)}>'
            f"<h3>{escape(label(r.name, r.platform))} failed{escape(where)}</h3>"
            f"<p>{escape(r.error or '')}</p>{log}</article>"
        )
    return f'<section id="failures"><h2>Failures</h2>{"".join(articles)}</section>'


def write_report(
    path: Path,
    results: Sequence[ImageResult],
    recorded: Sequence[Timed],
    graph: Graph,
    *,
    refs: Sequence[RefResult] = (),
    title: str = "imgbuild build",
) -> None:
    """Write the report of a recorded run; the graph is drawn when Graphviz is installed."""
    from builder.graph_output import as_dot
    from builder.graphviz import inline_svg

    svg = inline_svg(as_dot(image_graph(graph), image_statuses(results)))
    report = ReportInput(results, timeline(recorded, graph), graph, svg, refs, title)
    write_atomically(path, report_html(report))
