"""The summary table printed at the end of a run."""

from __future__ import annotations

import io

from builder.cli.summary import print_summary, summary_lines
from builder.events import ImageResult, Status

ID = "sha256:0123456789abcdef0123"
RESULTS = (
    ImageResult("base", Status.SKIPPED, ("t/base:1",), ID, seconds=0.01, builder="classic"),
    ImageResult(
        "api",
        Status.FAILED,
        error="exit 1",
        failed_step="RUN make",
        log_tail=("make: *** [all] Error 1",),
        seconds=2.5,
        builder="buildkit",
        engine="e2",
    ),
    ImageResult("web", Status.NOT_STARTED, reason="upstream failed: api"),
)


def test_the_table_then_each_failure_with_its_log() -> None:
    assert summary_lines(RESULTS) == [
        "IMAGE  STATUS       BUILDER   TIME  IMAGE ID      TAGS OR REASON",
        "base   skipped      classic   0.0s  0123456789ab  t/base:1",
        "api    failed       buildkit  2.5s  -             exit 1",
        "web    not-started  -         -     -             upstream failed: api",
        "api failed at RUN make: exit 1",
        "  | make: *** [all] Error 1",
    ]


def test_a_pool_adds_the_engine_column_and_the_engines_that_went_down() -> None:
    lines = summary_lines(RESULTS[:1], engines=True, engines_down={"e3": "connection refused"})
    assert lines == [
        "IMAGE  STATUS   BUILDER  ENGINE  TIME  IMAGE ID      TAGS OR REASON",
        "base   skipped  classic  -       0.0s  0123456789ab  t/base:1",
        "engine e3 went down: connection refused",
    ]


def test_print_summary_writes_the_lines() -> None:
    stream = io.StringIO()
    print_summary(RESULTS[:1], stream)
    assert stream.getvalue() == "\n".join(summary_lines(RESULTS[:1])) + "\n"


def test_a_run_with_variants_names_each_failure_by_image_and_platform() -> None:
    from tests.test_by_image import VARIANT_RESULTS

    lines = summary_lines(VARIANT_RESULTS)
    assert lines[0].startswith("IMAGE  PLATFORM     STATUS")
    assert lines[4].split()[:3] == ["app", "linux/arm64", "failed"]
    assert lines[5] == "app (linux/arm64) failed at Step 2/2 : RUN uname -m: exit 3"
