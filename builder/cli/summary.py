"""The end of a run on the terminal: the summary table, then each failure's step and log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO

from builder.by_image import result_label
from builder.cli.progress import short_id
from builder.events import ImageResult, Status
from builder.platforms import image_of
from builder.text import align


def summary_lines(
    results: Sequence[ImageResult],
    *,
    engines: bool = False,
    engines_down: Mapping[str, str] | None = None,
) -> list[str]:
    """A plain table: image, status, time, image ID, tags; then each failure's step and log.

    `engines` (a pool of several) adds the ENGINE column and a line per engine that went down;
    a run with platform variants adds the PLATFORM column ("-": the engine's own).
    """
    platforms = any(result.platform for result in results)
    rows = [
        (
            "IMAGE",
            *(("PLATFORM",) if platforms else ()),
            "STATUS",
            "BUILDER",
            *(("ENGINE",) if engines else ()),
            "TIME",
            "IMAGE ID",
            "TAGS OR REASON",
        )
    ]
    for result in results:
        seconds = f"{result.seconds:.1f}s" if result.status is not Status.NOT_STARTED else "-"
        tags = ", ".join(result.refs) if result.refs else (result.reason or result.error or "")
        engine_cell: tuple[str, ...] = (result.engine or "-",) if engines else ()
        platform_cell: tuple[str, ...] = (result.platform or "-",) if platforms else ()
        rows.append(
            (
                image_of(result.name),
                *platform_cell,
                result.status.value,
                result.builder or "-",
                *engine_cell,
                seconds,
                short_id(result.image_id),
                tags,
            )
        )
    lines = align(rows)
    for engine, reason in (engines_down or {}).items():
        lines.append(f"engine {engine} went down: {reason}")
    for result in results:
        if result.status is not Status.FAILED:
            continue
        where = f" at {result.failed_step}" if result.failed_step else ""
        lines.append(f"{result_label(result)} failed{where}: {result.error}")
        lines.extend(f"  | {line}" for line in result.log_tail)
    return [line.rstrip() for line in lines]


def print_summary(
    results: Sequence[ImageResult],
    stream: IO[str],
    *,
    engines: bool = False,
    engines_down: Mapping[str, str] | None = None,
) -> None:
    lines = summary_lines(results, engines=engines, engines_down=engines_down)
    stream.write("\n".join(lines) + "\n")
    stream.flush()
