"""The graph as text, Graphviz dot, Mermaid or JSON.

Dot and Mermaid can colour each image by a status (`statuses`: image -> "built", "skipped",
"failed", "not-started", or publish's "pushed", "unchanged"), read from a metadata file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping

from builder.graph import Edge, Graph

# Fill colours by status; an image with no status stays white.
STATUS_COLOURS = {
    "built": "#b7e4c7",
    "pushed": "#b7e4c7",
    "skipped": "#cfe2f3",
    "unchanged": "#cfe2f3",
    "failed": "#f4a6a6",
    "not-started": "#e0e0e0",
}
_LINE_RE = re.compile(r":(\d+)\)$")  # the "(Dockerfile:3)" an inferred edge's reason ends with


def as_text(graph: Graph) -> str:
    lines = []
    for name in graph.order():
        node = graph.nodes[name]
        lines.append(f"{name}  ({', '.join(node.spec.refs)})")
        for edge in graph.edges:
            if edge.dependent == name:
                lines.append(f"  needs {edge.dependency}: {edge.reason}")
        for base in node.external_bases:
            lines.append(f"  from outside: {base}")
    return "\n".join(lines)


def edge_kind(graph: Graph, edge: Edge) -> str:
    """Why an edge exists, as its instruction: FROM, COPY --from, RUN --mount or depends_on."""
    match = _LINE_RE.search(edge.reason)
    if match is None:
        return edge.reason
    line = int(match.group(1))
    for instruction in graph.nodes[edge.dependent].dockerfile.instructions:
        if instruction.line == line:
            if instruction.keyword == "FROM":
                return "FROM"
            if instruction.keyword == "RUN":
                return "RUN --mount"
            return f"{instruction.keyword} --from"
    return "FROM"


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def as_dot(graph: Graph, statuses: Mapping[str, str] | None = None) -> str:
    """Images as boxes (name, repository, tags), outside bases apart, edges labelled why."""
    statuses = statuses or {}
    lines = [
        "digraph imgbuild {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="white", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    bases = sorted({base for node in graph.nodes.values() for base in node.external_bases})
    if bases:
        lines.append('  subgraph cluster_outside {\n    label="outside bases"; style=dashed;')
        lines += [f"    {_dot_string('base:' + b)} [label={_dot_string(b)}];" for b in bases]
        lines.append("  }")
    for name in graph.order():
        spec = graph.nodes[name].spec
        status = statuses.get(name)
        parts = [name, spec.repository, "tags: " + ", ".join(spec.tags)]
        attributes = "label=" + _dot_string("\n".join([*parts, *([status] if status else [])]))
        if status:
            attributes += f", fillcolor={_dot_string(STATUS_COLOURS.get(status, 'white'))}"
        lines.append(f"  {_dot_string(name)} [{attributes}];")
    for name, node in graph.nodes.items():
        for base in node.external_bases:
            lines.append(f"  {_dot_string('base:' + base)} -> {_dot_string(name)} [style=dashed];")
    for edge in graph.edges:
        kind = edge_kind(graph, edge)
        label = edge.reason if kind == edge.reason else f"{kind} {edge.reason}"
        lines.append(
            f"  {_dot_string(edge.dependency)} -> {_dot_string(edge.dependent)}"
            f" [label={_dot_string(label)}];"
        )
    lines.append("}")
    return "\n".join(lines)


def as_mermaid(graph: Graph, statuses: Mapping[str, str] | None = None) -> str:
    lines = ["graph LR"]
    ids = {name: f"n{index}" for index, name in enumerate(graph.order())}
    for name, node_id in ids.items():
        lines.append(f'  {node_id}["{name}"]')
    for edge in graph.edges:
        lines.append(f"  {ids[edge.dependency]} --> {ids[edge.dependent]}")
    known = {name: status for name, status in (statuses or {}).items() if name in ids}
    for status in sorted(set(known.values())):
        colour = STATUS_COLOURS.get(status, "#ffffff")
        members = ",".join(ids[name] for name, s in sorted(known.items()) if s == status)
        if members:
            lines.append(f"  classDef {_class(status)} fill:{colour}")
            lines.append(f"  class {members} {_class(status)}")
    return "\n".join(lines)


def _class(status: str) -> str:
    return status.replace("-", "_")


def as_json(graph: Graph) -> str:
    document = {
        "order": graph.order(),
        "images": {
            name: {
                "repository": node.spec.repository,
                "tags": list(node.spec.tags),
                "dependencies": list(graph.dependencies(name)),
                "external_bases": list(node.external_bases),
            }
            for name, node in graph.nodes.items()
        },
        "edges": [
            {"from": edge.dependency, "to": edge.dependent, "reason": edge.reason}
            for edge in graph.edges
        ],
    }
    return json.dumps(document, indent=2)


FORMATS: dict[str, Callable[[Graph], str]] = {
    "text": as_text,
    "dot": as_dot,
    "mermaid": as_mermaid,
    "json": as_json,
}
