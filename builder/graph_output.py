"""The graph as text, Graphviz dot, Mermaid or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

from builder.graph import Graph


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


def as_dot(graph: Graph) -> str:
    lines = ["digraph imgbuild {", "  rankdir=LR;"]
    for name in graph.order():
        lines.append(f'  "{name}" [label="{name}\\n{graph.nodes[name].spec.repository}"];')
    for edge in graph.edges:
        label = edge.reason.replace('"', '\\"')
        lines.append(f'  "{edge.dependency}" -> "{edge.dependent}" [label="{label}"];')
    lines.append("}")
    return "\n".join(lines)


def as_mermaid(graph: Graph) -> str:
    lines = ["graph LR"]
    ids = {name: f"n{index}" for index, name in enumerate(graph.order())}
    for name, node_id in ids.items():
        lines.append(f'  {node_id}["{name}"]')
    for edge in graph.edges:
        lines.append(f"  {ids[edge.dependency]} --> {ids[edge.dependent]}")
    return "\n".join(lines)


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
