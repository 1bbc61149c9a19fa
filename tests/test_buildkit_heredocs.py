"""Which engines' BuildKit can parse a heredoc: refused at plan time, naming the line, on an
engine whose built-in Dockerfile frontend predates them (Docker Engine before 23.0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.buildkit import HEREDOC_ENGINE, check_buildkit_can_parse
from builder.config import ImageSpec
from builder.dockerfile import parse_dockerfile
from builder.errors import UsageError
from builder.graph import ImageNode

ORIGIN = Path("/project/app/Dockerfile")
RUN_HEREDOC = "FROM local/busybox:1\nRUN echo plain\nRUN <<EOF\necho hello\nEOF\n"


def node(text: str) -> ImageNode:
    spec = ImageSpec(name="app", context=ORIGIN.parent, repository="shop/app")
    return ImageNode(spec, parse_dockerfile(text, ORIGIN), text, ORIGIN)


def refusal(text: str, *versions: str) -> UsageError:
    with pytest.raises(UsageError) as refused:
        check_buildkit_can_parse(node(text), versions)
    return refused.value


def test_the_first_engine_to_parse_heredocs_is_23_0() -> None:
    assert HEREDOC_ENGINE == (23, 0)


def test_a_run_heredoc_on_a_20_10_engine_is_refused_at_its_line() -> None:
    error = refusal(RUN_HEREDOC, "20.10.24+dfsg1")
    assert (error.path, error.line) == (ORIGIN, 3)
    assert "a RUN heredoc needs BuildKit on Docker Engine 23.0 or newer" in error.message
    assert "image app builds on Docker Engine 20.10.24+dfsg1" in error.message
    assert error.hint is not None and "plain RUN" in error.hint


def test_a_copy_heredoc_is_refused_too() -> None:
    text = "FROM local/busybox:1\nCOPY <<EOF /etc/motd\nhello\nEOF\n"
    error = refusal(text, "20.10.24")
    assert error.line == 2 and "a COPY heredoc" in error.message


def test_a_heredoc_in_a_stage_after_the_target_counts_the_whole_file_is_parsed() -> None:
    text = "FROM local/busybox:1 AS app\nRUN true\nFROM app AS later\nRUN <<EOF\ntrue\nEOF\n"
    assert refusal(text, "20.10.24").line == 4


@pytest.mark.parametrize("version", ["23.0.0", "24.0.7", "27.3.1", "?", "dev"])
def test_engines_of_23_0_or_newer_and_unknown_versions_take_heredocs(version: str) -> None:
    check_buildkit_can_parse(node(RUN_HEREDOC), [version])


def test_in_a_pool_the_oldest_engine_decides() -> None:
    check_buildkit_can_parse(node(RUN_HEREDOC), ["23.0.1", "27.3.1"])
    error = refusal(RUN_HEREDOC, "27.3.1", "20.10.24", "24.0.0")
    assert "Docker Engine 20.10.24," in error.message


def test_a_dockerfile_without_heredocs_passes_on_any_engine() -> None:
    check_buildkit_can_parse(node("FROM local/busybox:1\nRUN echo '<<' a\n"), ["19.03.15"])


@pytest.mark.parametrize(
    "directive", ["# syntax=docker/dockerfile:1", "#syntax = docker/dockerfile:1.4", "# SYNTAX=x"]
)
def test_a_syntax_directive_names_the_frontend_that_parses_instead(directive: str) -> None:
    check_buildkit_can_parse(node(f"{directive}\n{RUN_HEREDOC}"), ["20.10.24"])


def test_a_syntax_comment_after_the_directives_is_only_a_comment() -> None:
    text = f"# escape=\\\n\n# syntax=docker/dockerfile:1\n{RUN_HEREDOC}"
    assert refusal(text, "20.10.24").line == 6
    check_buildkit_can_parse(
        node(f"# escape=\\\n# syntax=docker/dockerfile:1\n{RUN_HEREDOC}"), ["20.10.24"]
    )
