"""`imgbuild graph --format svg|png|dot --metadata`: pictures of the graph, by Graphviz."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from realparts import executable

from builder import graphviz
from builder.cli import run
from tests.build.helpers import write_project

CONFIG = (
    '[images.base]\ncontext = "base"\nrepository = "shop/base"\ntags = ["dev", "1.0"]\n\n'
    '[images.api]\ncontext = "api"\nrepository = "shop/api"\n\n'
    '[images.worker]\ncontext = "worker"\nrepository = "shop/worker"\ndepends_on = ["api"]\n'
)
FILES = {
    "base/Dockerfile": "FROM debian:12\n",
    "api/Dockerfile": "FROM shop/base:dev\n",
    "worker/Dockerfile": "FROM busybox:1\nCOPY --from=shop/base:dev /etc /etc\n",
}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_project(tmp_path, CONFIG, FILES)


def graph_bytes(config: Path, capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> bytes:
    assert run(["-f", str(config), "graph", *args]) == 0
    return capsysbinary.readouterr().out


def test_dot_labels_nodes_edges_and_keeps_outside_bases_apart(
    config: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    dot = graph_bytes(config, capsysbinary, "--format", "dot").decode()
    assert '"base" [label="base\\nshop/base\\ntags: dev, 1.0"];' in dot
    assert '"base" -> "api" [label="FROM shop/base:dev (Dockerfile:1)"];' in dot
    assert '"base" -> "worker" [label="COPY --from shop/base:dev (Dockerfile:2)"];' in dot
    assert '"api" -> "worker" [label="depends_on"];' in dot
    outside = dot.split("subgraph cluster_outside {", 1)[1].split("}", 1)[0]
    assert '"base:debian:12" [label="debian:12"];' in outside
    assert '"base:busybox:1" [label="busybox:1"];' in outside
    assert '"base:debian:12" -> "base" [style=dashed];' in dot


def test_metadata_colours_each_image_by_status(
    config: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    metadata = tmp_path / "build.json"
    statuses = {"base": "built", "api": "failed", "worker": "not-started"}
    metadata.write_text(json.dumps({"images": {n: {"status": s} for n, s in statuses.items()}}))
    dot = graph_bytes(config, capsysbinary, "--format", "dot", "--metadata", str(metadata))
    text = dot.decode()
    assert '"api" [label="api\\nshop/api\\ntags: latest\\nfailed", fillcolor="#f4a6a6"];' in text
    assert '\\nbuilt", fillcolor="#b7e4c7"];' in text
    assert '\\nnot-started", fillcolor="#e0e0e0"];' in text
    mermaid = graph_bytes(config, capsysbinary, "--format", "mermaid", "--metadata", str(metadata))
    assert "  classDef failed fill:#f4a6a6\n  class n1 failed" in mermaid.decode()


def test_a_file_that_is_not_metadata_exits_2(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    metadata = tmp_path / "other.json"
    metadata.write_text("[1, 2]")
    assert run(["-f", str(config), "graph", "--format", "dot", "--metadata", str(metadata)]) == 2
    assert "not a metadata file" in capsys.readouterr().err


def test_svg_without_graphviz_names_the_package_and_exits_2(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphviz, "dot_program", lambda: None)
    assert run(["-f", str(config), "graph", "--format", "svg"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "Graphviz's dot" in err[0] and "apt-get install graphviz" in err[0]


def test_svg_parses_and_names_every_image(
    config: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    executable("dot", "apt-get install graphviz")
    svg = ET.fromstring(graph_bytes(config, capsysbinary, "--format", "svg"))
    texts = {element.text for element in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"base", "api", "worker", "shop/base", "debian:12"} <= texts


def test_png_is_a_png(config: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    executable("dot", "apt-get install graphviz")
    assert graph_bytes(config, capsysbinary, "--format", "png").startswith(b"\x89PNG\r\n")
