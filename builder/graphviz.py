"""The Graphviz adapter: dot text drawn as SVG or PNG by Debian's `dot` program."""

from __future__ import annotations

import shutil
import subprocess

from builder.errors import ImgbuildError, UsageError

DRAWN_FORMATS = ("svg", "png")


def dot_program() -> str | None:
    """The path of Graphviz's `dot`, or None when Graphviz is not installed."""
    return shutil.which("dot")


def draw(dot_text: str, output_format: str) -> bytes:
    """`dot_text` drawn in `output_format` (svg or png)."""
    program = dot_program()
    if program is None:
        raise UsageError(
            f"drawing the graph as {output_format} needs Graphviz's dot, which is not installed",
            hint="apt-get install graphviz (Debian's graphviz package)",
        )
    completed = subprocess.run(
        [program, f"-T{output_format}"],
        input=dot_text.encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=120,
    )
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip() or "no reason given"
        raise ImgbuildError(f"dot -T{output_format} failed: {reason}")
    return completed.stdout


def inline_svg(dot_text: str) -> str | None:
    """The graph as an `<svg>` element to put inside HTML (no XML prolog, no DOCTYPE, which
    names a URL), or None when Graphviz is not installed."""
    if dot_program() is None:
        return None
    svg = draw(dot_text, "svg").decode("utf-8")
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else None
