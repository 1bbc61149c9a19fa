"""Plain text every listing of the CLI and the reports shares: tables, sizes."""

from __future__ import annotations

from collections.abc import Sequence


def align(rows: Sequence[Sequence[str]]) -> list[str]:
    """Each row as a line, cells padded to their column's widest and two spaces apart.

    The last column is not padded and trailing spaces are dropped, so a line ends where its
    text does.
    """
    if not rows:
        return []
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        padded = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*padded, row[-1]]).rstrip())
    return lines


def byte_size(count: int) -> str:
    """Decimal units, one decimal: 512 B, 33.3 KB, 3.0 MB."""
    if count < 1000:
        return f"{count} B"
    size = count / 1000
    for unit in ("KB", "MB", "GB"):
        if size < 1000:
            return f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} TB"
